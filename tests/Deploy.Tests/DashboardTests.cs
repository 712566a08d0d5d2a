using System.Text.Json;
using Certstream.Deploy.Tests.Support;
using YamlDotNet.RepresentationModel;

namespace Certstream.Deploy.Tests;

/// <summary>monitoring/grafana/dashboards/certstream.json: well-formed, on our datasource, and only over metrics the code exports.</summary>
public sealed class DashboardTests
{
    private static readonly JsonElement Dashboard = JsonDocument.Parse(File.ReadAllText(Repo.DashboardFile)).RootElement;

    private static IEnumerable<JsonElement> Panels =>
        Dashboard.GetProperty("panels").EnumerateArray().Where(p => p.GetProperty("type").GetString() != "row");

    private static IEnumerable<(string Panel, string Expr)> Expressions =>
        Panels.SelectMany(p => p.GetProperty("targets").EnumerateArray()
            .Select(t => (p.GetProperty("title").GetString()!, t.GetProperty("expr").GetString()!)));

    [Fact]
    public void The_dashboard_is_a_schema_39_dashboard_with_a_fixed_uid()
    {
        Assert.Equal(39, Dashboard.GetProperty("schemaVersion").GetInt32());
        Assert.Equal("certstream-nats", Dashboard.GetProperty("uid").GetString());
        var ids = Dashboard.GetProperty("panels").EnumerateArray().Select(p => p.GetProperty("id").GetInt32()).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
    }

    [Fact]
    public void Every_panel_queries_the_prometheus_datasource_and_has_targets()
    {
        Assert.True(Panels.Count() >= 10);
        foreach (var panel in Panels)
        {
            var title = panel.GetProperty("title").GetString();
            Assert.Equal("prometheus", panel.GetProperty("datasource").GetProperty("uid").GetString());
            Assert.True(panel.TryGetProperty("gridPos", out _), $"{title}: no gridPos");
            var targets = panel.GetProperty("targets").EnumerateArray().ToList();
            Assert.True(targets.Count > 0, $"{title}: no targets");
            Assert.All(targets, t =>
            {
                Assert.Equal("prometheus", t.GetProperty("datasource").GetProperty("uid").GetString());
                Assert.False(string.IsNullOrWhiteSpace(t.GetProperty("expr").GetString()), $"{title}: empty expression");
            });
        }
    }

    [Fact]
    public void The_provisioned_datasource_has_the_uid_the_panels_use_and_points_at_compose_prometheus()
    {
        var file = Yaml.LoadFile(Repo.Path("monitoring", "grafana", "provisioning", "datasources", "prometheus.yml"));
        var only = Assert.Single(Assert.IsType<YamlSequenceNode>(file.Get("datasources")).Children);
        Assert.Equal("prometheus", only.Text("uid"));
        Assert.Equal("prometheus", only.Text("type"));
        Assert.Equal("http://prometheus:9090", only.Text("url"));
    }

    [Fact]
    public async Task Every_metric_in_the_dashboard_is_exported_by_the_code()
    {
        var exported = (await ExportedMetrics.GetAsync()).Series;
        var unknown = Expressions.SelectMany(e => PromQl.MetricNames(e.Expr).Select(m => (e.Panel, Metric: m)))
            .Where(u => !exported.Contains(u.Metric))
            .Select(u => $"{u.Panel}: {u.Metric}").Distinct().ToList();
        Assert.True(unknown.Count == 0, "not exported by the code: " + string.Join(", ", unknown));
    }

    [Fact]
    public void The_dashboard_covers_every_area_the_issue_names()
    {
        var metrics = Expressions.SelectMany(e => PromQl.MetricNames(e.Expr)).ToHashSet();
        // certificates/s, lag, errors, clients per stream, skipped messages, parser latency, NATS reconnects.
        foreach (var metric in new[] { "certstream_parser_entries_total", "ingestor_entries_published_total", "ingestor_lag", "ingestor_errors_total",
                     "certstream_edge_clients", "certstream_edge_messages_skipped_total", "certstream_parser_decode_duration_seconds_bucket", "nats_reconnects_total" })
            Assert.Contains(metric, metrics);
    }
}
