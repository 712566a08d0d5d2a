using System.Diagnostics.Metrics;
using System.Numerics;

namespace Certstream.Hosting.Tests.Metrics;

public sealed class InstrumentKindTests
{
    [Fact]
    public void Counter_is_a_counter_family_with_total_suffix_and_the_sum_of_increments()
    {
        using var scope = new MetricsScope();
        var counter = scope.Meter.CreateCounter<long>("certstream.edge.messages_sent", description: "Messages sent to clients.");
        counter.Add(3);
        counter.Add(4);

        var text = scope.Scrape();
        Assert.Equal(
            "# HELP certstream_edge_messages_sent_total Messages sent to clients.\n" +
            "# TYPE certstream_edge_messages_sent_total counter\n" +
            "certstream_edge_messages_sent_total 7\n", text);
    }

    [Fact]
    public void Counter_ignores_negative_and_nan_increments()
    {
        using var scope = new MetricsScope();
        var ints = scope.Meter.CreateCounter<int>("ints");
        var doubles = scope.Meter.CreateCounter<double>("doubles");
        ints.Add(5);
        ints.Add(-2);
        doubles.Add(1.5);
        doubles.Add(-1);
        doubles.Add(double.NaN);

        var text = scope.Scrape();
        Assert.Equal("5", MetricsScope.ValueOf(text, "ints_total"));
        Assert.Equal("1.5", MetricsScope.ValueOf(text, "doubles_total"));
    }

    [Fact]
    public void UpDownCounter_is_a_gauge_that_goes_both_ways()
    {
        using var scope = new MetricsScope();
        var clients = scope.Meter.CreateUpDownCounter<int>("certstream.edge.clients");
        clients.Add(5);
        clients.Add(-7);

        var text = scope.Scrape();
        Assert.Contains("# TYPE certstream_edge_clients gauge\n", text, StringComparison.Ordinal);
        Assert.Equal("-2", MetricsScope.ValueOf(text, "certstream_edge_clients"));
    }

    [Fact]
    public void Gauge_reports_the_last_value_set_and_keeps_it_across_scrapes()
    {
        using var scope = new MetricsScope();
        var gauge = scope.Meter.CreateGauge<double>("certstream.temperature", unit: "Cel");
        gauge.Record(20.5);
        gauge.Record(21.25);

        var first = scope.Scrape();
        Assert.Contains("# TYPE certstream_temperature_celsius gauge\n", first, StringComparison.Ordinal);
        Assert.Equal("21.25", MetricsScope.ValueOf(first, "certstream_temperature_celsius"));
        Assert.Equal("21.25", MetricsScope.ValueOf(scope.Scrape(), "certstream_temperature_celsius"));
    }

    [Fact]
    public void ObservableCounter_reports_the_callbacks_cumulative_value_as_a_counter()
    {
        using var scope = new MetricsScope();
        long total = 10;
        scope.Meter.CreateObservableCounter("certstream.ingest.entries", () => total, description: "Entries read.");

        Assert.Equal("10", MetricsScope.ValueOf(scope.Scrape(), "certstream_ingest_entries_total"));
        total = 25;
        var text = scope.Scrape();
        Assert.Contains("# TYPE certstream_ingest_entries_total counter\n", text, StringComparison.Ordinal);
        Assert.Equal("25", MetricsScope.ValueOf(text, "certstream_ingest_entries_total"));
    }

    [Fact]
    public void ObservableUpDownCounter_and_ObservableGauge_are_gauges_of_the_current_value()
    {
        using var scope = new MetricsScope();
        scope.Meter.CreateObservableUpDownCounter("certstream.queue.depth", () => -3);
        scope.Meter.CreateObservableGauge("certstream.queue.fill", () => 0.75, unit: "%");

        var text = scope.Scrape();
        Assert.Contains("# TYPE certstream_queue_depth gauge\n", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE certstream_queue_fill_percent gauge\n", text, StringComparison.Ordinal);
        Assert.Equal("-3", MetricsScope.ValueOf(text, "certstream_queue_depth"));
        Assert.Equal("0.75", MetricsScope.ValueOf(text, "certstream_queue_fill_percent"));
    }

    [Fact]
    public void Observable_series_no_longer_reported_by_the_callback_disappear()
    {
        using var scope = new MetricsScope();
        var logs = new List<string> { "a", "b" };
        scope.Meter.CreateObservableGauge("certstream.log.lag", () =>
            logs.Select(l => new Measurement<long>(1, new KeyValuePair<string, object?>("log", l))));

        Assert.Equal(2, MetricsScope.Samples(scope.Scrape()).Length);
        logs.Remove("a");
        var text = scope.Scrape();
        Assert.Equal(["certstream_log_lag{log=\"b\"} 1"], MetricsScope.Samples(text));
    }

    [Fact]
    public void A_failing_observable_callback_does_not_break_the_scrape()
    {
        using var scope = new MetricsScope();
        scope.Meter.CreateObservableGauge<int>("broken", (Func<int>)(() => throw new InvalidOperationException("boom")));
        scope.Meter.CreateObservableGauge("healthy", () => 1);

        var text = scope.Scrape();
        Assert.Equal("1", MetricsScope.ValueOf(text, "healthy"));
        Assert.DoesNotContain("broken", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Histogram_is_a_histogram_family()
    {
        using var scope = new MetricsScope();
        var histogram = scope.Meter.CreateHistogram<double>("certstream.parse.duration", unit: "s");
        histogram.Record(0.2);

        var text = scope.Scrape();
        Assert.Contains("# TYPE certstream_parse_duration_seconds histogram\n", text, StringComparison.Ordinal);
        Assert.Equal("1", MetricsScope.ValueOf(text, "certstream_parse_duration_seconds_count"));
    }

    [Fact]
    public void Every_numeric_type_is_collected()
    {
        using var scope = new MetricsScope();
        AddAll<byte>(scope, "byte");
        AddAll<short>(scope, "short");
        AddAll<int>(scope, "int");
        AddAll<long>(scope, "long");
        AddAll<float>(scope, "float");
        AddAll<double>(scope, "double");
        AddAll<decimal>(scope, "decimal");

        var text = scope.Scrape();
        foreach (var type in new[] { "byte", "short", "int", "long", "float", "double", "decimal" })
        {
            Assert.Equal(4, MetricsScope.NumberOf(text, $"{type}_counter_total"));
            Assert.Equal(2, MetricsScope.NumberOf(text, $"{type}_up_down"));
            Assert.Equal(3, MetricsScope.NumberOf(text, $"{type}_gauge"));
            Assert.Equal(2, MetricsScope.NumberOf(text, $"{type}_histogram_count"));
            Assert.Equal(6, MetricsScope.NumberOf(text, $"{type}_histogram_sum"));
            Assert.Equal(7, MetricsScope.NumberOf(text, $"{type}_observable_counter_total"));
            Assert.Equal(8, MetricsScope.NumberOf(text, $"{type}_observable_up_down"));
            Assert.Equal(9, MetricsScope.NumberOf(text, $"{type}_observable_gauge"));
        }
    }

    private static void AddAll<T>(MetricsScope scope, string prefix) where T : struct, INumberBase<T>
    {
        var meter = scope.Meter;
        var counter = meter.CreateCounter<T>(prefix + ".counter");
        counter.Add(T.CreateChecked(1));
        counter.Add(T.CreateChecked(3));
        meter.CreateUpDownCounter<T>(prefix + ".upDown").Add(T.CreateChecked(2));
        meter.CreateGauge<T>(prefix + ".gauge").Record(T.CreateChecked(3));
        var histogram = meter.CreateHistogram<T>(prefix + ".histogram");
        histogram.Record(T.CreateChecked(2));
        histogram.Record(T.CreateChecked(4));
        meter.CreateObservableCounter(prefix + ".observableCounter", () => T.CreateChecked(7));
        meter.CreateObservableUpDownCounter(prefix + ".observableUpDown", () => T.CreateChecked(8));
        meter.CreateObservableGauge(prefix + ".observableGauge", () => T.CreateChecked(9));
    }

    [Fact]
    public void Integer_counters_stay_exact_beyond_double_precision()
    {
        using var scope = new MetricsScope();
        var counter = scope.Meter.CreateCounter<long>("big");
        counter.Add((1L << 53) + 1);
        Assert.Equal("9007199254740993", MetricsScope.ValueOf(scope.Scrape(), "big_total"));
    }

    [Fact]
    public void Help_falls_back_to_the_instrument_name()
    {
        using var scope = new MetricsScope();
        scope.Meter.CreateCounter<int>("certstream.undocumented").Add(1);
        Assert.StartsWith("# HELP certstream_undocumented_total certstream.undocumented\n", scope.Scrape(), StringComparison.Ordinal);
    }

    [Fact]
    public void Meters_outside_the_prefix_are_not_exported()
    {
        using var scope = new MetricsScope();
        using var other = new System.Diagnostics.Metrics.Meter("Other" + scope.Prefix);
        other.CreateCounter<int>("foreign").Add(1);
        scope.Meter.CreateCounter<int>("own").Add(1);

        var text = scope.Scrape();
        Assert.Contains("own_total 1", text, StringComparison.Ordinal);
        Assert.DoesNotContain("foreign", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Instruments_created_before_the_exposition_are_exported()
    {
        var prefix = "Early" + Guid.NewGuid().ToString("N");
        using var meter = new System.Diagnostics.Metrics.Meter(prefix);
        var counter = meter.CreateCounter<int>("early");
        using var exposition = new Certstream.Hosting.Metrics.PrometheusExposition(
            new() { MeterNamePrefix = prefix, IncludeProcessMetrics = false });
        counter.Add(2);
        Assert.Equal("2", MetricsScope.ValueOf(exposition.Scrape(), "early_total"));
    }

    [Fact]
    public void Families_are_sorted_and_each_has_one_help_and_type()
    {
        using var scope = new MetricsScope();
        var b = scope.Meter.CreateCounter<int>("b.counter");
        var a = scope.Meter.CreateGauge<int>("a.gauge");
        b.Add(1, new KeyValuePair<string, object?>("k", "1"));
        a.Record(1, new KeyValuePair<string, object?>("k", "1"));
        b.Add(1, new KeyValuePair<string, object?>("k", "2"));
        a.Record(1, new KeyValuePair<string, object?>("k", "2"));

        var lines = scope.Scrape().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(
        [
            "# HELP a_gauge a.gauge", "# TYPE a_gauge gauge", "a_gauge{k=\"1\"} 1", "a_gauge{k=\"2\"} 1",
            "# HELP b_counter_total b.counter", "# TYPE b_counter_total counter", "b_counter_total{k=\"1\"} 1", "b_counter_total{k=\"2\"} 1",
        ], lines);
    }

    [Fact]
    public void Same_named_instruments_of_two_meters_merge_into_one_family()
    {
        using var scope = new MetricsScope();
        scope.NewMeter("A").CreateCounter<int>("shared").Add(2);
        scope.NewMeter("B").CreateCounter<double>("shared").Add(0.5);

        var text = scope.Scrape();
        Assert.Single(text.Split('\n'), l => l.StartsWith("# TYPE shared_total", StringComparison.Ordinal));
        Assert.Equal("2.5", MetricsScope.ValueOf(text, "shared_total"));
    }

    [Fact]
    public void Same_named_observable_counters_add_up_and_same_named_gauges_keep_the_first()
    {
        using var scope = new MetricsScope();
        var first = scope.NewMeter("Connection1");
        var second = scope.NewMeter("Connection2");
        first.CreateObservableCounter("bytes.in", () => 100L, unit: "By");
        second.CreateObservableCounter("bytes.in", () => 23L, unit: "By");
        first.CreateCounter<long>("bytes.in", unit: "By").Add(1);
        first.CreateObservableGauge("connected", () => 1);
        second.CreateObservableGauge("connected", () => 0);

        var text = scope.Scrape();
        Assert.Equal("124", MetricsScope.ValueOf(text, "bytes_in_bytes_total"));
        Assert.Equal("1", MetricsScope.ValueOf(text, "connected"));
    }

    [Fact]
    public void A_same_named_instrument_of_another_kind_is_left_out()
    {
        using var scope = new MetricsScope();
        scope.NewMeter("A").CreateUpDownCounter<int>("clash").Add(2);
        scope.NewMeter("B").CreateGauge<int>("clash").Record(9);

        var text = scope.Scrape();
        Assert.Single(text.Split('\n'), l => l.StartsWith("# TYPE clash", StringComparison.Ordinal));
        Assert.Equal("2", MetricsScope.ValueOf(text, "clash"));
    }

    [Fact]
    public void A_disposed_meters_instruments_are_no_longer_exported()
    {
        using var scope = new MetricsScope();
        var meter = scope.NewMeter("Short");
        meter.CreateCounter<int>("gone").Add(1);
        Assert.Contains("gone_total 1", scope.Scrape(), StringComparison.Ordinal);

        meter.Dispose();
        Assert.DoesNotContain("gone", scope.Scrape(), StringComparison.Ordinal);
    }

    [Fact]
    public void An_instrument_without_measurements_prints_nothing()
    {
        using var scope = new MetricsScope();
        scope.Meter.CreateCounter<int>("idle");
        Assert.Equal("", scope.Scrape());
    }
}
