using Certstream.Deploy.Tests.Support;

namespace Certstream.Deploy.Tests;

/// <summary>The allow-list the dashboard is checked against: declared in the code, named and typed by prometheus-net.</summary>
public sealed class MetricNameTests
{
    [Fact]
    public async Task The_ingestor_metrics_are_found_and_exported_with_their_types_and_labels()
    {
        var result = await ExportedMetrics.GetAsync();
        Assert.Contains(result.Instruments, i => i is { Kind: "Histogram", Name: "ingestor_request_duration_seconds" } && i.Labels.SequenceEqual(["log", "endpoint"]));
        Assert.Equal("counter", result.Families["ingestor_entries_published_total"]);
        Assert.Equal("gauge", result.Families["ingestor_lag"]);
        Assert.Equal("gauge", result.Families["ingestor_logs_followed"]);
        Assert.Equal("histogram", result.Families["ingestor_request_duration_seconds"]);
        Assert.Contains("ingestor_request_duration_seconds_bucket", result.Series);
        Assert.Contains("ingestor_errors_total{log=\"x\",kind=\"x\"} 1", result.Exposition, StringComparison.Ordinal);
        // Every scanned metric became a family.
        Assert.Equal(result.Instruments.Select(i => i.Name).Distinct().Count(), result.Families.Count);
    }

    [Fact]
    public void The_expression_scanner_finds_metric_names_but_not_functions_labels_or_keywords()
    {
        var names = PromQl.MetricNames(
            "histogram_quantile(0.95, sum by (le, log) (rate(ingestor_request_duration_seconds_bucket{job=\"x\", log=~\"a.b\"}[$__rate_interval])))"
            + " / ignoring(kind) sum without (stream) (certstream_edge_clients offset 5m) or on(log) ingestor_lag > bool 1e3");
        Assert.Equal(["certstream_edge_clients", "ingestor_lag", "ingestor_request_duration_seconds_bucket"], names.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void The_metric_scan_reads_kinds_names_and_labels_of_every_declaration()
    {
        var metrics = InstrumentScan.Scan(out _);
        Assert.Contains(metrics, i => i is { Kind: "Counter", Name: "ingestor_errors_total" } && i.Labels.SequenceEqual(["log", "kind"]));
        Assert.Contains(metrics, i => i is { Kind: "Gauge", Name: "ingestor_logs_followed" } && i.Labels.Count == 0);
        // Labels from a local array (the edge's per-stream families) and from NATS.Net's bridge.
        Assert.Contains(metrics, i => i is { Kind: "Gauge", Name: "certstream_edge_clients" } && i.Labels.SequenceEqual(["stream"]));
        Assert.Contains(metrics, i => i is { Kind: "Counter", Name: "nats_reconnects_total" } && i.Labels.SequenceEqual(["connection"]));
    }
}
