using System.Text.Json;

namespace Certstream.CtLogSim.Tests;

public sealed class LogStateTests
{
    [Fact]
    public async Task Configured_states_appear_in_the_log_list_and_frozen_logs_do_not_grow()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await using var sim = await CtLogSimulator.StartAsync(new CtLogSimOptions
        {
            Rfc6962Logs = 3, TiledLogs = 1, Operators = 1, InitialSize = 20, EntriesPerSecond = 200, Seed = 21,
            LogStates = new Dictionary<string, string> { ["rfc6962-1"] = "readonly", ["rfc6962-2"] = "retired", ["static-0"] = "qualified" },
        }, timeout.Token);
        using var http = TestHttp.NewClient();

        await sim.WaitForTreeSizeAsync("rfc6962-0", 60, timeout.Token);
        Assert.Equal(20, sim.Record.TreeSize("rfc6962-1"));
        Assert.Equal(20, sim.Record.TreeSize("rfc6962-2"));

        var list = await http.GetJsonAsync(sim.LogListUrl);
        var logs = list.GetProperty("operators")[0].GetProperty("logs").EnumerateArray().ToList();
        Assert.Equal(["usable", "readonly", "retired"], logs.Select(l => l.GetProperty("state").EnumerateObject().Single().Name));
        var tiled = list.GetProperty("operators")[0].GetProperty("tiled_logs")[0];
        Assert.Equal("qualified", tiled.GetProperty("state").EnumerateObject().Single().Name);

        var finalHead = logs[1].GetProperty("state").GetProperty("readonly").GetProperty("final_tree_head");
        var sth = await http.GetJsonAsync(sim.Log("rfc6962-1").Url.Under("ct/v1/get-sth"));
        Assert.Equal(sth.GetProperty("tree_size").GetInt64(), finalHead.GetProperty("tree_size").GetInt64());
        Assert.Equal(sth.GetProperty("sha256_root_hash").GetString(), finalHead.GetProperty("sha256_root_hash").GetString());
    }

    [Fact]
    public async Task Operators_with_only_tiled_logs_carry_the_retired_bogus_placeholder()
    {
        await using var sim = await CtLogSimulator.StartAsync(new CtLogSimOptions { Rfc6962Logs = 1, TiledLogs = 2, Operators = 3, Seed = 22 }, CancellationToken.None);
        using var http = TestHttp.NewClient();
        var operators = (await http.GetJsonAsync(sim.LogListUrl)).GetProperty("operators").EnumerateArray().ToList();
        Assert.Equal(3, operators.Count);

        // Logs go round-robin: A gets rfc6962-0, B static-0, C static-1.
        Assert.Equal("rfc6962-0", Name(operators[0].GetProperty("logs")[0]));
        foreach (var op in operators.Skip(1))
        {
            var placeholder = Assert.Single(op.GetProperty("logs").EnumerateArray());
            Assert.Equal("https://ct.example.com/bogus/", placeholder.GetProperty("url").GetString());
            Assert.Equal("retired", placeholder.GetProperty("state").EnumerateObject().Single().Name);
            Assert.Single(op.GetProperty("tiled_logs").EnumerateArray());
        }

        await using var without = await CtLogSimulator.StartAsync(new CtLogSimOptions { Rfc6962Logs = 0, TiledLogs = 1, Operators = 1, Seed = 22, BogusPlaceholders = false }, CancellationToken.None);
        var list = await http.GetJsonAsync(without.LogListUrl);
        Assert.Equal(0, list.GetProperty("operators")[0].GetProperty("logs").GetArrayLength());
    }

    private static string Name(JsonElement log) => log.GetProperty("url").GetString()!.TrimEnd('/').Split('/')[^1];
}
