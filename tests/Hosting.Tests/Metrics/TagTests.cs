using System.Diagnostics.Metrics;

namespace Certstream.Hosting.Tests.Metrics;

public sealed class TagTests
{
    private static KeyValuePair<string, object?> Tag(string key, object? value) => new(key, value);

    [Fact]
    public void Each_distinct_tag_set_is_its_own_series()
    {
        using var scope = new MetricsScope();
        var counter = scope.Meter.CreateCounter<int>("sent");
        counter.Add(1, Tag("stream", "full"));
        counter.Add(2, Tag("stream", "lite"));
        counter.Add(4, Tag("stream", "full"), Tag("tls", "yes"));
        counter.Add(8);

        Assert.Equal(
            ["sent_total 8", "sent_total{stream=\"full\"} 1", "sent_total{stream=\"full\",tls=\"yes\"} 4", "sent_total{stream=\"lite\"} 2"],
            MetricsScope.Samples(scope.Scrape()));
    }

    [Fact]
    public void Tag_order_does_not_matter()
    {
        using var scope = new MetricsScope();
        var counter = scope.Meter.CreateCounter<int>("sent");
        counter.Add(1, Tag("b", "2"), Tag("a", "1"), Tag("c", "3"));
        counter.Add(1, Tag("a", "1"), Tag("b", "2"), Tag("c", "3"));
        counter.Add(1, Tag("c", "3"), Tag("a", "1"), Tag("b", "2"));

        Assert.Equal(["sent_total{a=\"1\",b=\"2\",c=\"3\"} 3"], MetricsScope.Samples(scope.Scrape()));
    }

    [Fact]
    public void Tag_values_that_print_alike_are_one_series()
    {
        using var scope = new MetricsScope();
        var counter = scope.Meter.CreateCounter<int>("codes");
        counter.Add(1, Tag("code", 200));
        counter.Add(1, Tag("code", "200"));
        counter.Add(1, Tag("code", 200L));
        counter.Add(1, Tag("ok", true));
        counter.Add(1, Tag("ratio", 0.5));
        counter.Add(1, Tag("none", null));

        Assert.Equal(
            ["codes_total{code=\"200\"} 3", "codes_total{none=\"\"} 1", "codes_total{ok=\"True\"} 1", "codes_total{ratio=\"0.5\"} 1"],
            MetricsScope.Samples(scope.Scrape()));
    }

    [Fact]
    public void Tag_keys_become_sanitized_label_names_and_colliding_sets_merge()
    {
        using var scope = new MetricsScope();
        var counter = scope.Meter.CreateCounter<int>("hits");
        counter.Add(1, Tag("http.route", "/a"), Tag("statusCode", 200));
        counter.Add(2, Tag("http_route", "/a"), Tag("status_code", 200));

        Assert.Equal(["hits_total{http_route=\"/a\",status_code=\"200\"} 3"], MetricsScope.Samples(scope.Scrape()));
    }

    [Fact]
    public void A_repeated_tag_key_keeps_its_last_value()
    {
        using var scope = new MetricsScope();
        var counter = scope.Meter.CreateCounter<int>("dup");
        counter.Add(1, Tag("a", "x"), Tag("a", "y"));
        counter.Add(1, Tag("a", "y"));

        Assert.Equal(["dup_total{a=\"y\"} 2"], MetricsScope.Samples(scope.Scrape()));
    }

    [Fact]
    public void A_repeated_key_does_not_match_a_set_with_another_key()
    {
        using var scope = new MetricsScope();
        var counter = scope.Meter.CreateCounter<int>("pairs");
        counter.Add(1, Tag("a", "1"), Tag("b", "1"));
        counter.Add(1, Tag("a", "1"), Tag("a", "1"));

        Assert.Equal(["pairs_total{a=\"1\"} 1", "pairs_total{a=\"1\",b=\"1\"} 1"], MetricsScope.Samples(scope.Scrape()));
    }

    [Fact]
    public void Label_values_are_escaped_in_the_exposition()
    {
        using var scope = new MetricsScope();
        var counter = scope.Meter.CreateCounter<int>("tricky");
        counter.Add(1, Tag("path", "C:\\dir\\\"quoted\"\nnext 日本 ✓"));

        Assert.Equal(["tricky_total{path=\"C:\\\\dir\\\\\\\"quoted\\\"\\nnext 日本 ✓\"} 1"], MetricsScope.Samples(scope.Scrape()));
    }

    [Fact]
    public void Long_non_string_tag_values_still_match_their_series()
    {
        using var scope = new MetricsScope();
        var counter = scope.Meter.CreateCounter<int>("guids");
        var id = Guid.NewGuid();
        counter.Add(1, Tag("id", id));
        counter.Add(1, Tag("id", id));
        counter.Add(1, Tag("at", new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.FromHours(1))));
        counter.Add(1, Tag("at", new DateTimeOffset(2026, 1, 2, 3, 4, 5, TimeSpan.FromHours(1))));

        var samples = MetricsScope.Samples(scope.Scrape());
        Assert.Equal(2, samples.Length);
        Assert.Contains($"guids_total{{id=\"{id}\"}} 2", samples);
    }

    [Fact]
    public void New_tag_sets_beyond_the_limit_share_an_overflow_series()
    {
        using var scope = new MetricsScope(maxSeries: 3);
        var counter = scope.Meter.CreateCounter<int>("clients");
        for (var i = 0; i < 10; i++) counter.Add(1, Tag("ip", "10.0.0." + i));
        counter.Add(5, Tag("ip", "10.0.0.0"));

        var text = scope.Scrape();
        Assert.Equal(6, MetricsScope.NumberOf(text, "clients_total{ip=\"10.0.0.0\"}"));
        Assert.Equal(7, MetricsScope.NumberOf(text, "clients_total{otel_metric_overflow=\"true\"}"));
        Assert.Equal(4, MetricsScope.Samples(text).Length);
    }

    [Fact]
    public void Meter_and_instrument_tags_label_every_series_and_measurement_tags_win()
    {
        using var scope = new MetricsScope();
        using var meter = new Meter(new MeterOptions(scope.Prefix + ".Tagged") { Tags = [Tag("service", "edge"), Tag("zone", "meter")] });
        var counter = meter.CreateCounter<int>("tagged", unit: null, description: null, tags: [Tag("zone", "instrument"), Tag("stream", "lite")]);
        counter.Add(1);
        counter.Add(2, Tag("stream", "full"));

        Assert.Equal(
            ["tagged_total{service=\"edge\",stream=\"full\",zone=\"instrument\"} 2", "tagged_total{service=\"edge\",stream=\"lite\",zone=\"instrument\"} 1"],
            MetricsScope.Samples(scope.Scrape()));
    }
}
