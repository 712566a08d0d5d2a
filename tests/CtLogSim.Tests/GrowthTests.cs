using System.Text.Json;

namespace Certstream.CtLogSim.Tests;

public sealed class GrowthTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Logs_grow_at_the_configured_rate_and_the_sth_follows()
    {
        using var timeout = new CancellationTokenSource(Bound);
        var started = DateTimeOffset.UtcNow;
        await using var sim = await CtLogSimulator.StartAsync(new CtLogSimOptions { Rfc6962Logs = 1, TiledLogs = 1, InitialSize = 10, EntriesPerSecond = 100, Seed = 3 }, timeout.Token);
        using var http = TestHttp.NewClient();

        // Poll get-sth (bounded by the timeout) until the RFC 6962 log has grown by 50.
        long size;
        do
        {
            timeout.Token.ThrowIfCancellationRequested();
            size = (await http.GetJsonAsync(sim.Log("rfc6962-0").Url.Under("ct/v1/get-sth"))).GetProperty("tree_size").GetInt64();
        } while (size < 60);
        var elapsed = (DateTimeOffset.UtcNow - started).TotalSeconds;
        Assert.InRange(size, 60, 10 + 100 * elapsed + 1);

        await sim.WaitForTreeSizeAsync("static-0", 60, timeout.Token);
        var checkpoint = (await http.GetStringAsync(sim.Log("static-0").Url.Under("checkpoint"))).Split('\n');
        Assert.True(long.Parse(checkpoint[1], System.Globalization.CultureInfo.InvariantCulture) >= 60);
    }

    [Fact]
    public async Task Bursts_add_their_entries_at_once()
    {
        using var timeout = new CancellationTokenSource(Bound);
        await using var sim = await CtLogSimulator.StartAsync(new CtLogSimOptions
        {
            Rfc6962Logs = 1, TiledLogs = 0, BurstSize = 100, BurstInterval = TimeSpan.FromMilliseconds(300), Seed = 4,
        }, timeout.Token);
        var size = await sim.WaitForTreeSizeAsync("rfc6962-0", 200, timeout.Token);
        Assert.Equal(0, size % 100);
    }

    [Fact]
    public async Task A_static_log_keeps_its_sth_until_entries_are_appended()
    {
        using var timeout = new CancellationTokenSource(Bound);
        await using var sim = await CtLogSimulator.StartAsync(new CtLogSimOptions { Rfc6962Logs = 1, TiledLogs = 0, InitialSize = 5, Seed = 5 }, timeout.Token);
        using var http = TestHttp.NewClient();
        var url = sim.Log("rfc6962-0").Url.Under("ct/v1/get-sth");
        var first = await http.GetStringAsync(url, timeout.Token);
        Assert.Equal(first, await http.GetStringAsync(url, timeout.Token));

        var grown = sim.WaitForTreeSizeAsync("rfc6962-0", 12, timeout.Token);
        Assert.False(grown.IsCompleted);
        await sim.AppendAsync("rfc6962-0", 7, timeout.Token);
        Assert.Equal(12, await grown);
        var after = JsonDocument.Parse(await http.GetStringAsync(url, timeout.Token)).RootElement;
        Assert.Equal(12, after.GetProperty("tree_size").GetInt64());
        Assert.True(after.GetProperty("timestamp").GetInt64() >= JsonDocument.Parse(first).RootElement.GetProperty("timestamp").GetInt64());
    }

    [Fact]
    public async Task Per_log_faults_from_the_options_apply_to_that_log_only()
    {
        await using var sim = await CtLogSimulator.StartAsync(new CtLogSimOptions
        {
            Rfc6962Logs = 1, TiledLogs = 1, InitialSize = 1, Seed = 9,
            LogFaults = new Dictionary<string, FaultOptions> { ["static-0"] = new() { Unavailable = 1 } },
        }, CancellationToken.None);
        using var http = TestHttp.NewClient();
        using var healthy = await http.GetAsync(sim.Log("rfc6962-0").Url.Under("ct/v1/get-sth"));
        using var failing = await http.GetAsync(sim.Log("static-0").Url.Under("checkpoint"));
        Assert.Equal(System.Net.HttpStatusCode.OK, healthy.StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.ServiceUnavailable, failing.StatusCode);
    }
}
