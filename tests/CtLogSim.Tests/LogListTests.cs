using System.Net;
using System.Security.Cryptography;
using System.Text.Json;
using Certstream.TestSupport;

namespace Certstream.CtLogSim.Tests;

[Collection(SharedSimulator.Name)]
public sealed class LogListTests(SimulatorFixture fixture)
{
    private static JsonElement Real => JsonDocument.Parse(File.ReadAllText(RepoPaths.Fixture("loglist", "google_log_list_v3_v93.3_2026-10-03_google-operator-only.json"))).RootElement;

    [Fact]
    public async Task Log_list_has_the_fields_of_the_real_v3_list_in_the_same_order()
    {
        var ours = await fixture.Http.GetJsonAsync(fixture.Sim.LogListUrl);
        Assert.Equal(Names(Real), Names(ours));
        var realOperator = Real.GetProperty("operators")[0];
        Assert.All(ours.GetProperty("operators").EnumerateArray(), op =>
        {
            Assert.Equal(Names(realOperator), Names(op));
            Assert.All(op.GetProperty("logs").EnumerateArray(), log => AssertSameShape(realOperator.GetProperty("logs")[0], log));
            Assert.All(op.GetProperty("tiled_logs").EnumerateArray(), log => AssertSameShape(realOperator.GetProperty("tiled_logs")[0], log));
        });
        Assert.Equal(3, ours.GetProperty("operators").EnumerateArray().Sum(o => o.GetProperty("logs").GetArrayLength()));
        Assert.Equal(2, ours.GetProperty("operators").EnumerateArray().Sum(o => o.GetProperty("tiled_logs").GetArrayLength()));
    }

    [Fact]
    public async Task Listed_logs_have_matching_ids_and_answer_at_their_urls()
    {
        var ours = await fixture.Http.GetJsonAsync(fixture.Sim.LogListUrl);
        foreach (var op in ours.GetProperty("operators").EnumerateArray())
        {
            foreach (var log in op.GetProperty("logs").EnumerateArray().Concat(op.GetProperty("tiled_logs").EnumerateArray()))
            {
                var key = Convert.FromBase64String(log.GetProperty("key").GetString()!);
                Assert.Equal(Convert.ToBase64String(SHA256.HashData(key)), log.GetProperty("log_id").GetString());
                var url = log.TryGetProperty("url", out var u) ? new Uri(u.GetString()! + "ct/v1/get-sth") : new Uri(log.GetProperty("monitoring_url").GetString()! + "checkpoint");
                Assert.EndsWith("/", log.TryGetProperty("url", out u) ? u.GetString() : log.GetProperty("monitoring_url").GetString());
                using var response = await fixture.Http.GetAsync(url);
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            }
        }
    }

    private static void AssertSameShape(JsonElement real, JsonElement ours)
    {
        Assert.Equal(Names(real), Names(ours));
        Assert.Equal(Names(real.GetProperty("state")), Names(ours.GetProperty("state")));
        Assert.Equal(Names(real.GetProperty("temporal_interval")), Names(ours.GetProperty("temporal_interval")));
        Assert.True(DateTimeOffset.TryParse(ours.GetProperty("state").GetProperty("usable").GetProperty("timestamp").GetString(), out _));
    }

    private static List<(string, JsonValueKind)> Names(JsonElement e) => [.. e.EnumerateObject().Select(p => (p.Name, p.Value.ValueKind))];
}
