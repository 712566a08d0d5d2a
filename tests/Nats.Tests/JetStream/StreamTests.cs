using System.Diagnostics;
using Certstream.Nats.JetStream;
using Certstream.Nats.JetStream.Models;
using Certstream.TestSupport;
using static Certstream.Nats.Tests.JetStream.JSTestHelpers;

namespace Certstream.Nats.Tests.JetStream;

public sealed class StreamTests(NatsServerFixture nats) : IClassFixture<NatsServerFixture>
{
    [Fact]
    public async Task Account_info_counts_the_streams_created()
    {
        var (conn, js) = await ConnectJsAsync(nats.Url);
        await using var _ = conn;
        var before = await js.GetAccountInfoAsync();
        await CreateStreamAsync(js, UniqueName("ACC"));
        var after = await js.GetAccountInfoAsync();
        Assert.Equal(before.Streams + 1, after.Streams);
        Assert.Equal(-1, after.Limits.MaxStreams);
    }

    [Fact]
    public async Task Create_returns_the_config_with_durations_as_sent_and_is_idempotent()
    {
        var (conn, js) = await ConnectJsAsync(nats.Url);
        await using var _ = conn;
        var name = UniqueName("CT_RAW");
        // The product's stream (SPEC §3): max_age 24 h, duplicate_window 10 min.
        var config = new StreamConfig(name, name + ".>") { MaxAge = TimeSpan.FromHours(24), DuplicateWindow = TimeSpan.FromMinutes(10) };
        var created = await js.CreateStreamAsync(config);
        Assert.Equal(name, created.Config.Name);
        Assert.Equal(TimeSpan.FromHours(24), created.Config.MaxAge);
        Assert.Equal(TimeSpan.FromMinutes(10), created.Config.DuplicateWindow);
        Assert.Equal([name + ".>"], created.Config.Subjects);
        Assert.Equal(StreamStorage.File, created.Config.Storage);
        Assert.True(created.Created > DateTimeOffset.UtcNow.AddMinutes(-1));

        var again = await js.CreateStreamAsync(config);
        Assert.Equal(created.Created, again.Created);
        Assert.Equal(created.Config with { Subjects = null }, again.Config with { Subjects = null });
        Assert.Equal(created.Config.Subjects, again.Config.Subjects);
    }

    [Fact]
    public async Task Create_with_a_different_config_fails_with_10058_and_ensure_updates_instead()
    {
        var (conn, js) = await ConnectJsAsync(nats.Url);
        await using var _ = conn;
        var name = UniqueName("CONF");
        await CreateStreamAsync(js, name);
        var changed = new StreamConfig(name, name + ".>") { Storage = StreamStorage.Memory, MaxAge = TimeSpan.FromMinutes(5) };

        var error = await Assert.ThrowsAsync<NatsJSApiException>(async () => await js.CreateStreamAsync(changed));
        Assert.Equal(NatsJSErrorCodes.StreamNameInUse, error.ErrCode);
        Assert.Equal(400, error.Code);

        var ensured = await js.EnsureStreamAsync(changed);
        Assert.Equal(TimeSpan.FromMinutes(5), ensured.Config.MaxAge);
        Assert.Equal(TimeSpan.FromMinutes(5), (await js.GetStreamAsync(name)).Config.MaxAge);
        // Same config again: nothing to do, no error.
        Assert.Equal(TimeSpan.FromMinutes(5), (await js.EnsureStreamAsync(changed)).Config.MaxAge);
    }

    [Fact]
    public async Task Ensure_creates_a_missing_stream()
    {
        var (conn, js) = await ConnectJsAsync(nats.Url);
        await using var _ = conn;
        var name = UniqueName("ENSURE");
        var info = await js.EnsureStreamAsync(new StreamConfig(name, name + ".>") { Storage = StreamStorage.Memory });
        Assert.Equal(0ul, info.State.Messages);
        Assert.Equal(name, (await js.GetStreamAsync(name)).Config.Name);
    }

    [Fact]
    public async Task Ensure_reports_a_change_update_cannot_make()
    {
        var (conn, js) = await ConnectJsAsync(nats.Url);
        await using var _ = conn;
        var name = UniqueName("STORAGE");
        await CreateStreamAsync(js, name);
        var error = await Assert.ThrowsAsync<NatsJSApiException>(async () =>
            await js.EnsureStreamAsync(new StreamConfig(name, name + ".>") { Storage = StreamStorage.File }));
        Assert.Equal(10052, error.ErrCode);
    }

    [Fact]
    public async Task Info_of_a_missing_stream_is_10059_and_delete_says_whether_it_existed()
    {
        var (conn, js) = await ConnectJsAsync(nats.Url);
        await using var _ = conn;
        var name = UniqueName("GONE");
        var missing = await Assert.ThrowsAsync<NatsJSApiException>(async () => await js.GetStreamAsync(name));
        Assert.Equal(NatsJSErrorCodes.StreamNotFound, missing.ErrCode);
        Assert.Equal(404, missing.Code);

        await CreateStreamAsync(js, name);
        Assert.True(await js.DeleteStreamAsync(name));
        Assert.False(await js.DeleteStreamAsync(name));
    }

    [Fact]
    public async Task Purge_removes_the_messages_and_counts_them()
    {
        var (conn, js) = await ConnectJsAsync(nats.Url);
        await using var _ = conn;
        var name = UniqueName("PURGE");
        var prefix = await CreateStreamAsync(js, name);
        for (var i = 0; i < 3; i++) await js.PublishAsync(prefix + "a", TestHelpers.Bytes("x"));
        await js.PublishAsync(prefix + "b", TestHelpers.Bytes("y"));
        Assert.Equal(3ul, await js.PurgeStreamAsync(name, prefix + "a"));
        Assert.Equal(1ul, (await js.GetStreamAsync(name)).State.Messages);
    }

    [Fact]
    public async Task Without_JetStream_the_API_has_no_responders()
    {
        // NatsServer always passes -js; a plain server is started here, and killed by its id at the end.
        var port = FreePort.Next();
        var psi = new ProcessStartInfo(NatsServer.Binary) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var arg in new[] { "-a", "127.0.0.1", "-p", port.ToString(System.Globalization.CultureInfo.InvariantCulture) }) psi.ArgumentList.Add(arg);
        using var process = Process.Start(psi)!;
        try
        {
            var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            process.ErrorDataReceived += (_, e) => { if (e.Data?.Contains("Server is ready", StringComparison.Ordinal) == true) ready.TrySetResult(); };
            process.OutputDataReceived += (_, e) => { if (e.Data?.Contains("Server is ready", StringComparison.Ordinal) == true) ready.TrySetResult(); };
            process.BeginErrorReadLine();
            process.BeginOutputReadLine();
            await ready.Task.WaitAsync(TimeSpan.FromSeconds(10));

            var (conn, js) = await ConnectJsAsync($"nats://127.0.0.1:{port}");
            await using var _ = conn;
            await Assert.ThrowsAsync<NatsNoRespondersException>(async () => await js.GetAccountInfoAsync());
        }
        finally
        {
            process.Kill();
            await process.WaitForExitAsync();
        }
    }
}
