using System.Diagnostics.Metrics;

namespace Certstream.Hosting.Tests.Metrics;

public sealed class HistogramTests
{
    [Fact]
    public void Buckets_are_cumulative_with_inf_sum_and_count()
    {
        using var scope = new MetricsScope();
        var histogram = scope.Meter.CreateHistogram<double>("latency", unit: "s", description: "Latency.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.1, 0.5, 1] });
        foreach (var value in new[] { 0.05, 0.1, 0.3, 0.7, 0.9, 5 })
            histogram.Record(value, new KeyValuePair<string, object?>("op", "parse"));

        Assert.Equal(
            "# HELP latency_seconds Latency.\n" +
            "# TYPE latency_seconds histogram\n" +
            "latency_seconds_bucket{op=\"parse\",le=\"0.1\"} 2\n" +
            "latency_seconds_bucket{op=\"parse\",le=\"0.5\"} 3\n" +
            "latency_seconds_bucket{op=\"parse\",le=\"1\"} 5\n" +
            "latency_seconds_bucket{op=\"parse\",le=\"+Inf\"} 6\n" +
            "latency_seconds_sum{op=\"parse\"} 7.05\n" +
            "latency_seconds_count{op=\"parse\"} 6\n",
            scope.Scrape());
    }

    [Fact]
    public void Integer_advice_boundaries_are_used()
    {
        using var scope = new MetricsScope();
        var histogram = scope.Meter.CreateHistogram<int>("batch", advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = [1, 10, 100] });
        histogram.Record(10);
        histogram.Record(11);

        var text = scope.Scrape();
        Assert.Equal(
            ["batch_bucket{le=\"1\"} 0", "batch_bucket{le=\"10\"} 1", "batch_bucket{le=\"100\"} 2", "batch_bucket{le=\"+Inf\"} 2", "batch_sum 21", "batch_count 2"],
            MetricsScope.Samples(text));
    }

    [Fact]
    public void Empty_advice_leaves_only_the_inf_bucket()
    {
        using var scope = new MetricsScope();
        scope.Meter.CreateHistogram<double>("sizes", advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [] }).Record(3);

        Assert.Equal(["sizes_bucket{le=\"+Inf\"} 1", "sizes_sum 3", "sizes_count 1"], MetricsScope.Samples(scope.Scrape()));
    }

    [Fact]
    public void Seconds_histograms_default_to_prometheus_buckets_and_others_to_opentelemetry_buckets()
    {
        using var scope = new MetricsScope();
        scope.Meter.CreateHistogram<double>("wait", unit: "s").Record(0.3);
        scope.Meter.CreateHistogram<double>("wait.ms", unit: "ms").Record(30);

        var text = scope.Scrape();
        var seconds = MetricsScope.Samples(text).Where(l => l.StartsWith("wait_seconds_bucket", StringComparison.Ordinal)).ToArray();
        var millis = MetricsScope.Samples(text).Where(l => l.StartsWith("wait_ms_bucket", StringComparison.Ordinal)).ToArray();
        Assert.Equal(15, seconds.Length);
        Assert.StartsWith("wait_seconds_bucket{le=\"0.005\"} 0", seconds[0], StringComparison.Ordinal);
        Assert.Equal("1", MetricsScope.ValueOf(text, "wait_seconds_bucket{le=\"0.5\"}"));
        Assert.Equal(16, millis.Length);
        Assert.Equal("0", MetricsScope.ValueOf(text, "wait_ms_bucket{le=\"25\"}"));
        Assert.Equal("1", MetricsScope.ValueOf(text, "wait_ms_bucket{le=\"50\"}"));
        Assert.Equal("1", MetricsScope.ValueOf(text, "wait_ms_bucket{le=\"10000\"}"));
    }

    [Fact]
    public void Values_on_a_boundary_count_in_that_bucket_and_nan_only_in_inf()
    {
        using var scope = new MetricsScope();
        var histogram = scope.Meter.CreateHistogram<double>("edge", advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [1, 2] });
        histogram.Record(1);
        histogram.Record(2);
        histogram.Record(double.NegativeInfinity);
        histogram.Record(double.NaN);

        var text = scope.Scrape();
        Assert.Equal("2", MetricsScope.ValueOf(text, "edge_bucket{le=\"1\"}"));
        Assert.Equal("3", MetricsScope.ValueOf(text, "edge_bucket{le=\"2\"}"));
        Assert.Equal("4", MetricsScope.ValueOf(text, "edge_bucket{le=\"+Inf\"}"));
        Assert.Equal("NaN", MetricsScope.ValueOf(text, "edge_sum"));
        Assert.Equal("4", MetricsScope.ValueOf(text, "edge_count"));
    }

    [Fact]
    public void A_tag_named_le_is_renamed_so_it_cannot_clash_with_buckets()
    {
        using var scope = new MetricsScope();
        scope.Meter.CreateHistogram<int>("h", advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = [1] })
            .Record(1, new KeyValuePair<string, object?>("le", "x"));

        Assert.Contains("h_bucket{tag_le=\"x\",le=\"1\"} 1", MetricsScope.Samples(scope.Scrape()));
    }
}
