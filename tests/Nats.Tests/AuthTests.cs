using Certstream.TestSupport;
using static Certstream.Nats.Tests.TestHelpers;

namespace Certstream.Nats.Tests;

public sealed class AuthTests
{
    [Fact]
    public async Task User_and_password_authenticate_and_a_wrong_password_is_refused()
    {
        await using var server = await NatsServer.StartAsync("--user", "alice", "--pass", "s3cret");
        await using (var ok = await ConnectAsync(server.Url, o => o with { User = "alice", Password = "s3cret" }))
        {
            await ok.FlushAsync();
            Assert.True(ok.ServerInfo!.AuthRequired);
        }
        await using (var viaUrl = await ConnectAsync($"nats://alice:s3cret@127.0.0.1:{server.Port}"))
            await viaUrl.FlushAsync();

        await using var bad = new NatsConnection(Opts(server.Url) with { User = "alice", Password = "wrong" });
        var ex = await Assert.ThrowsAsync<NatsServerErrorException>(async () => await bad.ConnectAsync());
        Assert.True(ex.IsAuthError);
        Assert.Contains("Authorization Violation", ex.ServerMessage, StringComparison.Ordinal);
        await using var badUrl = new NatsConnection(Opts($"nats://alice:wr0ng-secret@127.0.0.1:{server.Port}"));
        var fromUrl = await Assert.ThrowsAsync<NatsServerErrorException>(async () => await badUrl.ConnectAsync());
        Assert.DoesNotContain("wr0ng-secret", fromUrl.ToString(), StringComparison.Ordinal); // credentials stay out of logs
        await using var none = new NatsConnection(Opts(server.Url));
        Assert.True((await Assert.ThrowsAsync<NatsServerErrorException>(async () => await none.ConnectAsync())).IsAuthError);
    }

    [Fact]
    public async Task A_token_authenticates_and_a_wrong_token_is_refused()
    {
        await using var server = await NatsServer.StartAsync("--auth", "t0ken");
        await using (var ok = await ConnectAsync(server.Url, o => o with { Token = "t0ken" }))
            await ok.FlushAsync();
        await using (var viaUrl = await ConnectAsync($"nats://t0ken@127.0.0.1:{server.Port}"))
            await viaUrl.FlushAsync();

        await using var bad = new NatsConnection(Opts(server.Url) with { Token = "nope" });
        var ex = await Assert.ThrowsAsync<NatsServerErrorException>(async () => await bad.ConnectAsync());
        Assert.True(ex.IsAuthError);
        Assert.Equal(NatsConnectionState.Closed, bad.State);
    }
}
