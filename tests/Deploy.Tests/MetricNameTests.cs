using Certstream.Deploy.Tests.Support;

namespace Certstream.Deploy.Tests;

/// <summary>The allow-list the dashboard is checked against: found in the code, named by the real exposition.</summary>
public sealed class MetricNameTests
{
    [Fact]
    public async Task The_ingestor_instruments_are_found_and_named_by_the_exposition()
    {
        var result = await ExportedMetrics.GetAsync();
        Assert.Contains(result.Instruments, i => i.Name == "ingestor.request.duration" && i.Unit == "s" && i.Kind == "Histogram");
        // The naming rule of shared/Hosting/Metrics/README.md: unit suffix, _total for counters, none for gauges.
        Assert.Equal("counter", result.Families["ingestor_entries_published_total"]);
        Assert.Equal("gauge", result.Families["ingestor_lag"]);
        Assert.Equal("gauge", result.Families["ingestor_logs_followed"]);
        Assert.Equal("histogram", result.Families["ingestor_request_duration_seconds"]);
        Assert.Contains("ingestor_request_duration_seconds_bucket", result.Series);
        // Every scanned instrument became a family.
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
    public void The_instrument_scan_reads_units_of_synchronous_and_observable_instruments()
    {
        var instruments = InstrumentScan.Scan(out _);
        Assert.Contains(instruments, i => i is { Kind: "Counter", Name: "ingestor.errors", Unit: "{error}" });
        Assert.Contains(instruments, i => i is { Kind: "UpDownCounter", Name: "ingestor.logs.followed", Unit: "{log}" });
    }
}
