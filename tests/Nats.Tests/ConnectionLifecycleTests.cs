using System.Diagnostics;
using Certstream.TestSupport;
using static Certstream.Nats.Tests.TestHelpers;

namespace Certstream.Nats.Tests;

public sealed class ConnectionLifecycleTests
{
    [Fact]
    public async Task Connect_sends_the_required_connect_fields()
    {
        var connect = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var fake = new FakeNatsServer(async c =>
        {
            await c.HandshakeAsync();
            connect.TrySetResult(c.Connect!);
            await c.ReadToEndAsync();
        });
        await using var conn = new NatsConnection(new NatsOpts { Url = fake.Url, Name = "probe" });
        await conn.ConnectAsync();
        var json = await connect.Task.WaitAsync(Wait);
        foreach (var field in new[] { "\"verbose\":false", "\"pedantic\":false", "\"protocol\":1", "\"echo\":false", "\"headers\":true", "\"no_responders\":true", "\"name\":\"probe\"" })
            Assert.Contains(field, json, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_client_answers_server_pings()
    {
        var pong = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var fake = new FakeNatsServer(async c =>
        {
            await c.HandshakeAsync();
            await c.SendAsync("PING\r\n");
            await c.ReadToEndAsync(line => { if (line == "PONG") pong.TrySetResult(); });
        });
        await using var conn = await ConnectAsync(fake.Url);
        await pong.Task.WaitAsync(Wait);
    }

    [Fact]
    public async Task Unanswered_pings_mark_the_connection_stale_and_it_reconnects()
    {
        await using var fake = new FakeNatsServer(async c =>
        {
            await c.HandshakeAsync();
            await c.ReadToEndAsync(); // never answers the client's PINGs
        });
        await using var conn = await ConnectAsync(fake.Url, o => o with { PingInterval = TimeSpan.FromMilliseconds(100), MaxPingsOut = 2 });
        var disconnected = Next<NatsConnectionEventArgs>(h => conn.Disconnected += h);
        var reconnected = Next<NatsConnectionEventArgs>(h => conn.Reconnected += h);
        var args = await disconnected.WaitAsync(Wait);
        Assert.Contains("Stale", args.Error!.Message, StringComparison.Ordinal);
        await reconnected.WaitAsync(Wait);
        Assert.True(fake.Accepted >= 2);
    }

    [Fact]
    public async Task A_drain_cut_short_by_its_token_still_closes_and_completes_subscriptions()
    {
        await using var fake = new FakeNatsServer(async c =>
        {
            await c.HandshakeAsync();
            await c.ReadToEndAsync(); // never answers the drain's PING
        });
        var conn = await ConnectAsync(fake.Url);
        var sub = await conn.SubscribeAsync("drain.stuck");
        using var bounded = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await conn.DrainAsync(bounded.Token));
        Assert.Equal(NatsConnectionState.Closed, conn.State);
        await foreach (var _ in sub.WithCancellation(new CancellationTokenSource(Wait).Token)) Assert.Fail("no message was sent");
    }

    [Fact]
    public async Task Connect_urls_from_info_join_the_server_pool()
    {
        await using var fake = new FakeNatsServer(async c =>
        {
            await c.HandshakeAsync(c.Server.Info(",\"connect_urls\":[\"127.0.0.1:1\",\"10.9.9.9:4333\"]"));
            await c.ReadToEndAsync();
        });
        await using var conn = await ConnectAsync(fake.Url);
        Assert.Contains(conn.KnownServers, u => u.Host == "10.9.9.9" && u.Port == 4333);
        Assert.Contains(conn.KnownServers, u => u.Port == 1);
        Assert.Equal(3, conn.KnownServers.Count);
    }

    [Fact]
    public async Task An_async_info_updates_max_payload_at_any_time()
    {
        var go = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var fake = new FakeNatsServer(async c =>
        {
            await c.HandshakeAsync();
            await go.Task;
            await c.SendAsync(c.Server.Info().Replace("1048576", "100", StringComparison.Ordinal) + "PING\r\n");
            await c.ReadToEndAsync();
        });
        await using var conn = await ConnectAsync(fake.Url);
        go.SetResult();
        // No event marks a plain INFO update; poll the property with a deadline.
        var deadline = Stopwatch.StartNew();
        while (conn.ServerInfo!.MaxPayload != 100 && deadline.Elapsed < Wait) await Task.Delay(10);
        Assert.Equal(100, conn.ServerInfo.MaxPayload);
        await Assert.ThrowsAsync<NatsPayloadTooLargeException>(async () => await conn.PublishAsync("x", new byte[101]));
    }

    [Fact]
    public async Task Lame_duck_info_raises_the_event_and_moves_to_another_server()
    {
        await using var real = await NatsServer.StartAsync();
        await using var fake = new FakeNatsServer(async c =>
        {
            await c.HandshakeAsync(c.Server.Info($",\"connect_urls\":[\"127.0.0.1:{real.Port}\"]"));
            await Task.Delay(200);
            await c.SendAsync(c.Server.Info($",\"ldm\":true,\"connect_urls\":[\"127.0.0.1:{real.Port}\"]"));
            await c.ReadToEndAsync();
        });
        await using var conn = new NatsConnection(Opts(fake.Url));
        var ldm = Next<NatsConnectionEventArgs>(h => conn.LameDuckModeEntered += h);
        var reconnected = Next<NatsConnectionEventArgs>(h => conn.Reconnected += h);
        await conn.ConnectAsync();
        await using var sub = await conn.SubscribeAsync("ldm.moved");
        var ldmArgs = await ldm.WaitAsync(Wait);
        Assert.Contains(fake.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), ldmArgs.ServerUrl, StringComparison.Ordinal);
        var moved = await reconnected.WaitAsync(Wait);
        Assert.Contains(real.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), moved.ServerUrl, StringComparison.Ordinal);
        Assert.Equal(real.Port, conn.ConnectedUrl!.Port);
        // The subscription followed the move.
        await conn.PublishAsync("ldm.moved", Bytes("here"));
        Assert.Equal("here", Text(await sub.NextAsync()));
    }

    [Fact]
    public async Task A_real_server_entering_lame_duck_mode_raises_the_event()
    {
        var dir = Directory.CreateTempSubdirectory("nats-ldm-").FullName;
        try
        {
            var config = Path.Combine(dir, "ldm.conf");
            await File.WriteAllTextAsync(config, "lame_duck_grace_period: \"10s\"\nlame_duck_duration: \"30s\"\n");
            await using var server = await NatsServer.StartAsync("-c", config);
            await using var conn = new NatsConnection(Opts(server.Url));
            var ldm = Next<NatsConnectionEventArgs>(h => conn.LameDuckModeEntered += h);
            await conn.ConnectAsync();
            await conn.FlushAsync(); // async INFO is only sent after the first PONG (§1.2)
            using (var signal = Process.Start(NatsServer.Binary, ["--signal", $"ldm={server.ProcessId}"]))
                await signal.WaitForExitAsync();
            var args = await ldm.WaitAsync(Wait);
            Assert.Contains(server.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), args.ServerUrl, StringComparison.Ordinal);
            Assert.True(conn.ServerInfo!.LameDuckMode);
            Assert.Equal(NatsConnectionState.Open, conn.State); // alone in its pool, it stays until the server closes it
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task Rejected_credentials_after_a_restart_close_the_connection_instead_of_retrying_forever()
    {
        var accepted = 0;
        await using var fake = new FakeNatsServer(async c =>
        {
            if (Interlocked.Increment(ref accepted) == 1)
            {
                await c.HandshakeAsync();
                return; // drop the first connection
            }
            await c.SendAsync(c.Server.Info(",\"auth_required\":true"));
            await c.ReadLineAsync();
            await c.SendAsync("-ERR 'Authorization Violation'\r\n");
        });
        await using var conn = new NatsConnection(Opts(fake.Url) with { ReconnectWaitMin = TimeSpan.FromMilliseconds(10) });
        var closed = Next<NatsConnectionEventArgs>(h => conn.Closed += h);
        await conn.ConnectAsync();
        var args = await closed.WaitAsync(Wait);
        Assert.True(((NatsServerErrorException)args.Error!).IsAuthError);
        Assert.Equal(NatsConnectionState.Closed, conn.State);
    }

    [Fact]
    public async Task Garbage_from_the_server_is_reported_as_a_protocol_error_and_the_client_reconnects()
    {
        var attempts = 0;
        await using var fake = new FakeNatsServer(async c =>
        {
            await c.HandshakeAsync();
            if (Interlocked.Increment(ref attempts) == 1) await c.SendAsync("MSG foo 1 nonsense\r\n");
            await c.ReadToEndAsync();
        });
        await using var conn = new NatsConnection(Opts(fake.Url));
        var error = Next<NatsConnectionEventArgs>(h => conn.ServerError += h);
        var disconnected = Next<NatsConnectionEventArgs>(h => conn.Disconnected += h);
        var reconnected = Next<NatsConnectionEventArgs>(h => conn.Reconnected += h);
        await conn.ConnectAsync();
        Assert.IsType<NatsProtocolException>((await error.WaitAsync(Wait)).Error);
        Assert.IsType<NatsProtocolException>((await disconnected.WaitAsync(Wait)).Error);
        await reconnected.WaitAsync(Wait);
        Assert.Equal(NatsConnectionState.Open, conn.State);
    }

    [Fact]
    public async Task A_non_fatal_server_error_is_raised_and_the_connection_stays_open()
    {
        await using var fake = new FakeNatsServer(async c =>
        {
            await c.HandshakeAsync();
            await c.SendAsync("-ERR 'Permissions Violation for Publish to \"secret\"'\r\n");
            await c.ReadToEndAsync();
        });
        await using var conn = new NatsConnection(Opts(fake.Url));
        var error = Next<NatsConnectionEventArgs>(h => conn.ServerError += h);
        await conn.ConnectAsync();
        var args = await error.WaitAsync(Wait);
        Assert.StartsWith("Permissions Violation", ((NatsServerErrorException)args.Error!).ServerMessage, StringComparison.Ordinal);
        Assert.Equal(NatsConnectionState.Open, conn.State);
    }

    [Fact]
    public async Task Connecting_to_nothing_fails_clearly()
    {
        var port = FreePort.Next();
        await using var conn = new NatsConnection(Opts($"nats://user:pa55word@127.0.0.1:{port}"));
        var ex = await Assert.ThrowsAsync<NatsException>(async () => await conn.ConnectAsync());
        Assert.Contains("Could not connect", ex.Message, StringComparison.Ordinal);
        Assert.Contains($"127.0.0.1:{port}", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("pa55word", ex.Message, StringComparison.Ordinal);
        Assert.Equal(NatsConnectionState.Closed, conn.State);
    }

    [Fact]
    public async Task A_cancelled_connect_leaves_the_connection_closed_and_a_retry_works()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var fake = new FakeNatsServer(async c =>
        {
            await release.Task; // the first client waits here for its INFO
            await c.HandshakeAsync();
            await c.ReadToEndAsync();
        });
        await using var conn = new NatsConnection(Opts(fake.Url) with { ConnectTimeout = TimeSpan.FromSeconds(30) });
        using (var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(200)))
            await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await conn.ConnectAsync(cts.Token));
        Assert.Equal(NatsConnectionState.Closed, conn.State);
        release.SetResult();
        await conn.ConnectAsync();
        Assert.Equal(NatsConnectionState.Open, conn.State);
    }

    [Fact]
    public async Task Concurrent_connect_calls_share_one_attempt()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var fake = new FakeNatsServer(async c =>
        {
            await release.Task;
            await c.HandshakeAsync();
            await c.ReadToEndAsync();
        });
        await using var conn = new NatsConnection(Opts(fake.Url));
        var callers = Enumerable.Range(0, 8).Select(_ => conn.ConnectAsync().AsTask()).ToArray();
        Assert.Equal(NatsConnectionState.Connecting, conn.State);
        Assert.DoesNotContain(callers, t => t.IsCompleted); // nobody returns before the connection is open
        release.SetResult();
        await Task.WhenAll(callers).WaitAsync(Wait);
        Assert.Equal(NatsConnectionState.Open, conn.State);
        await conn.ConnectAsync(); // already connected: returns at once
        Assert.Equal(1, fake.Accepted);
    }

    [Fact]
    public async Task The_first_reachable_server_of_a_comma_separated_list_is_used()
    {
        await using var real = await NatsServer.StartAsync();
        var dead = FreePort.Next();
        await using var conn = await ConnectAsync($"nats://127.0.0.1:{dead}, {real.Url}");
        Assert.Equal(real.Port, conn.ConnectedUrl!.Port);
    }
}
