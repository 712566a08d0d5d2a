using System.Text;
using System.Text.Json.Nodes;
using Certstream.Ingestor.Logs;
using Certstream.Ingestor.Tests.Support;
using Certstream.TestSupport;

namespace Certstream.Ingestor.Tests.Logs;

public sealed class LogListTests
{
    private static LogList GoogleList() =>
        LogList.Parse(File.ReadAllBytes(RepoPaths.Fixture("loglist", "google_log_list_v3_v93.3_2026-10-03_google-operator-only.json")));

    /// <summary>The real list with its six logs put in every kind of state (and one with none).</summary>
    private static LogList MixedStatesList()
    {
        var root = JsonNode.Parse(File.ReadAllText(RepoPaths.Fixture("loglist", "google_log_list_v3_v93.3_2026-10-03_google-operator-only.json")))!;
        var google = root["operators"]![0]!;
        var logs = google["logs"]!.AsArray();
        var tiled = google["tiled_logs"]!.AsArray();
        static JsonObject State(string name) => new() { [name] = new JsonObject { ["timestamp"] = "2026-01-01T00:00:00Z" } };
        logs[0]!["state"] = State("retired");   // Argon2026h2
        logs[1]!["state"] = State("qualified"); // Argon2027h1
        logs[2]!["state"] = State("readonly");  // Xenon2026h2
        logs[3]!["state"] = State("rejected");  // Xenon2027h1
        tiled[0]!["state"] = State("pending");  // ParcelYard2027h1
        tiled[1]!.AsObject().Remove("state");   // PlumbersArms2027h1
        return LogList.Parse(Encoding.UTF8.GetBytes(root.ToJsonString()));
    }

    private static IngestorSettings Defaults => new();

    [Fact]
    public void Both_rfc6962_and_tiled_logs_are_read_with_operator_and_state()
    {
        var list = GoogleList();

        Assert.Equal("93.3", list.Version);
        Assert.Equal(4, list.Logs.Count(l => l.Kind == LogKind.Rfc6962));
        Assert.Equal(2, list.Logs.Count(l => l.Kind == LogKind.Tiled));
        Assert.All(list.Logs, l => Assert.Equal("Google", l.Operator));
        Assert.All(list.Logs, l => Assert.Equal("usable", l.State));
        var argon = Assert.Single(list.Logs, l => l.Description == "Google 'Argon2027h1'");
        Assert.Equal("https://ct.googleapis.com/logs/us1/argon2027h1/", argon.Url);
    }

    [Fact]
    public void Tiled_logs_are_followed_at_their_monitoring_prefix()
    {
        var chosen = LogSelection.Choose(GoogleList(), Defaults, LogKeys.FromUrl);

        var parcelYard = Assert.Single(chosen, l => l.Description == "Google 'ParcelYard2027h1' log");
        Assert.Equal(LogKind.Tiled, parcelYard.Kind);
        Assert.Equal("https://storage.googleapis.com/parcelyard2027h1.prod.certificate.transparency.goog/", parcelYard.Url);
        Assert.Equal("storage_googleapis_com_parcelyard2027h1_prod_certificate_transparency_goog", parcelYard.Key);
        Assert.Equal("tiled", parcelYard.TypeName);
    }

    [Fact]
    public void Each_log_carries_its_key_from_the_list_and_configured_logs_their_configured_key()
    {
        var settings = Defaults with { AdditionalTiledLogs = [new CustomLog("https://tiles.example/2027/", "Ex", "Example", "MFkwEw==")] };
        var chosen = LogSelection.Choose(GoogleList(), settings, LogKeys.FromUrl);

        var argon = Assert.Single(chosen, l => l.Description == "Google 'Argon2027h1'");
        Assert.Equal("MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEKHRm0H/zUaFA6Idz5cGvGO3tCPQyfGMgJmVBOPyKAP6mGM1IiNXi4CLomOUyYj0YN74p+eGVApFMsM4h/jzCsA==", argon.PublicKey);
        Assert.All(chosen, l => Assert.StartsWith("MFkwEw", l.PublicKey, StringComparison.Ordinal));
        Assert.Equal("MFkwEw==", Assert.Single(chosen, l => l.Operator == "Ex").PublicKey);
    }

    [Fact]
    public void Default_states_follow_usable_qualified_and_readonly_logs_only()
    {
        var list = MixedStatesList();
        Assert.Equal(["retired", "qualified", "readonly", "rejected", "pending", null], list.Logs.Select(l => l.State));

        var chosen = LogSelection.Choose(list, Defaults, LogKeys.FromUrl);

        Assert.Equal(["Google 'Argon2027h1'", "Google 'Xenon2026h2' log"], chosen.Select(l => l.Description));
    }

    [Fact]
    public void Log_states_setting_chooses_which_states_are_followed()
    {
        var settings = new IngestorSettings { LogStates = ["Retired", "pending"] };

        var chosen = LogSelection.Choose(MixedStatesList(), settings, LogKeys.FromUrl);

        Assert.Equal(["Google 'Argon2026h2' log", "Google 'ParcelYard2027h1' log"], chosen.Select(l => l.Description));
    }

    [Fact]
    public void Excluded_logs_are_matched_by_normalized_url_or_operator()
    {
        var settings = new IngestorSettings
        {
            ExcludedLogs = [new LogExclusion(Url: "HTTP://ct.googleapis.com/logs/us1/argon2027h1"), new LogExclusion(Operator: "nobody")],
        };
        var chosen = LogSelection.Choose(GoogleList(), settings, LogKeys.FromUrl);
        Assert.Equal(5, chosen.Count);
        Assert.DoesNotContain(chosen, l => l.Key == "ct_googleapis_com_logs_us1_argon2027h1");

        var noGoogle = LogSelection.Choose(GoogleList(), new IngestorSettings { ExcludedLogs = [new LogExclusion(Operator: "google")] }, LogKeys.FromUrl);
        Assert.Empty(noGoogle);
    }

    [Fact]
    public void Additional_logs_are_added_once_and_excluded_by_operator_too()
    {
        var settings = new IngestorSettings
        {
            AdditionalLogs =
            [
                new CustomLog("https://ct.example.org/mylog/", "Example", "Example log"),
                new CustomLog("https://ct.googleapis.com/logs/us1/argon2027h1", "Google", "duplicate of a listed log"),
                new CustomLog("not a url", "Example", "bad"),
                new CustomLog("https://ct.example.org/second", "Example", "comes after a duplicate"),
            ],
            AdditionalTiledLogs = [new CustomLog("https://mon.example.net/2026h2/", "Tiles Inc", "Example tiled")],
        };
        var problems = new List<string>();

        var chosen = LogSelection.Choose(GoogleList(), settings, LogKeys.FromUrl, problems);

        Assert.Equal(6 + 3, chosen.Count);
        Assert.Equal("Google 'Argon2027h1'", Assert.Single(chosen, l => l.Key == "ct_googleapis_com_logs_us1_argon2027h1").Description);
        Assert.Contains(chosen, l => l.Key == "ct_example_org_second" && l.Kind == LogKind.Rfc6962);
        Assert.Contains(chosen, l => l.Key == "mon_example_net_2026h2" && l.Kind == LogKind.Tiled && l.Operator == "Tiles Inc");
        Assert.Contains(problems, p => p.Contains("not a url", StringComparison.Ordinal));

        var withoutExample = LogSelection.Choose(GoogleList(), settings with { ExcludedLogs = [new LogExclusion(Operator: "Example")] }, LogKeys.FromUrl);
        Assert.Equal(6 + 1, withoutExample.Count);
    }

    [Fact]
    public void Disable_default_logs_follows_only_additional_logs()
    {
        var settings = new IngestorSettings
        {
            DisableDefaultLogs = true,
            AdditionalTiledLogs = [new CustomLog("https://mon.example.net/2026h2/", "Tiles Inc", "Example tiled")],
        };

        var chosen = LogSelection.Choose(GoogleList(), settings, LogKeys.FromUrl);

        Assert.Equal("mon_example_net_2026h2", Assert.Single(chosen).Key);
    }

    [Fact]
    public void A_document_without_operators_is_rejected()
    {
        Assert.ThrowsAny<System.Text.Json.JsonException>(() => LogList.Parse("{\"version\":\"1\"}"u8.ToArray()));
        Assert.ThrowsAny<System.Text.Json.JsonException>(() => LogList.Parse("<html>"u8.ToArray()));
    }
}
