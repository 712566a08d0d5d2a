using System.Diagnostics.Metrics;

namespace Certstream.Hosting.Tests.Metrics;

public sealed class ConcurrencyTests
{
    private const int Threads = 8;
    private const int PerThread = 20_000;

    private static void RunOnThreads(Action<int> body)
    {
        // A barrier so the threads really overlap rather than run one after another.
        using var start = new Barrier(Threads);
        var threads = Enumerable.Range(0, Threads).Select(t => new Thread(() =>
        {
            start.SignalAndWait();
            body(t);
        })).ToArray();
        foreach (var thread in threads) thread.Start();
        foreach (var thread in threads) Assert.True(thread.Join(TimeSpan.FromSeconds(30)), "a recording thread did not finish");
    }

    [Fact]
    public void Counters_recorded_from_many_threads_total_exactly()
    {
        using var scope = new MetricsScope();
        var ints = scope.Meter.CreateCounter<long>("ints");
        var doubles = scope.Meter.CreateCounter<double>("doubles");
        var tags = new[] { "a", "b", "c" };

        RunOnThreads(t =>
        {
            for (var i = 0; i < PerThread; i++)
            {
                // New series appear while other threads record into existing ones.
                ints.Add(1, new KeyValuePair<string, object?>("k", tags[i % 3]), new KeyValuePair<string, object?>("t", t % 2 == 0 ? "even" : "odd"));
                doubles.Add(0.5); // exact in binary, so the sum is exact too
            }
        });

        var text = scope.Scrape();
        var total = MetricsScope.Samples(text).Where(l => l.StartsWith("ints_total", StringComparison.Ordinal))
            .Sum(l => long.Parse(l[(l.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal((long)Threads * PerThread, total);
        Assert.Equal(6, MetricsScope.Samples(text).Count(l => l.StartsWith("ints_total", StringComparison.Ordinal)));
        Assert.Equal(Threads * PerThread * 0.5, MetricsScope.NumberOf(text, "doubles_total"));
    }

    [Fact]
    public void Histograms_recorded_from_many_threads_count_exactly()
    {
        using var scope = new MetricsScope();
        var histogram = scope.Meter.CreateHistogram<int>("sizes", advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = [10, 100] });

        RunOnThreads(t =>
        {
            for (var i = 0; i < PerThread; i++) histogram.Record(i % 200);
        });

        var text = scope.Scrape();
        Assert.Equal((double)Threads * PerThread, MetricsScope.NumberOf(text, "sizes_count"));
        Assert.Equal(Threads * PerThread / 200.0 * 11, MetricsScope.NumberOf(text, "sizes_bucket{le=\"10\"}"));
        Assert.Equal(Threads * PerThread / 200.0 * 101, MetricsScope.NumberOf(text, "sizes_bucket{le=\"100\"}"));
        Assert.Equal(Threads * (PerThread / 200.0) * (199 * 200 / 2), MetricsScope.NumberOf(text, "sizes_sum"));
    }

    [Fact]
    public void Scrapes_while_recording_see_monotonic_counters_and_consistent_histograms()
    {
        using var scope = new MetricsScope();
        var counter = scope.Meter.CreateCounter<int>("busy");
        var histogram = scope.Meter.CreateHistogram<int>("busy.sizes", advice: new InstrumentAdvice<int> { HistogramBucketBoundaries = [5] });
        using var done = new CancellationTokenSource();
        var previous = 0.0;
        Exception? scraperFailure = null;
        var scraper = new Thread(() =>
        {
            try
            {
                while (!done.IsCancellationRequested)
                {
                    var text = scope.Scrape();
                    if (!text.Contains("busy_total", StringComparison.Ordinal)) continue;
                    var value = MetricsScope.NumberOf(text, "busy_total");
                    Assert.True(value >= previous, "a counter went down between scrapes");
                    previous = value;
                    // The histogram's series may not exist yet when the counter's does.
                    if (text.Contains("busy_sizes_count", StringComparison.Ordinal))
                        Assert.Equal(MetricsScope.NumberOf(text, "busy_sizes_bucket{le=\"+Inf\"}"), MetricsScope.NumberOf(text, "busy_sizes_count"));
                }
            }
            catch (Exception e)
            {
                scraperFailure = e; // asserted on the test thread, where xunit sees it
            }
        });
        scraper.Start();

        RunOnThreads(_ =>
        {
            for (var i = 0; i < PerThread; i++)
            {
                counter.Add(1);
                histogram.Record(i % 10);
            }
        });
        done.Cancel();
        Assert.True(scraper.Join(TimeSpan.FromSeconds(30)), "the scraping thread did not finish");
        Assert.Null(scraperFailure);
        Assert.Equal((double)Threads * PerThread, MetricsScope.NumberOf(scope.Scrape(), "busy_total"));
    }

    [Fact]
    public void Recording_into_existing_series_allocates_nothing()
    {
        using var scope = new MetricsScope();
        var counter = scope.Meter.CreateCounter<long>("c");
        var realCounter = scope.Meter.CreateCounter<double>("r");
        var upDown = scope.Meter.CreateUpDownCounter<int>("u");
        var gauge = scope.Meter.CreateGauge<double>("g");
        var histogram = scope.Meter.CreateHistogram<double>("h");
        var stream = new KeyValuePair<string, object?>("stream", "full");
        var tls = new KeyValuePair<string, object?>("tls", "on");
        var code = new KeyValuePair<string, object?>("code", 200); // boxed once here, as a caller caching it would

        void RecordAll()
        {
            counter.Add(1);
            counter.Add(1, stream);
            counter.Add(1, tls, stream);
            counter.Add(1, stream, tls, code);
            realCounter.Add(0.5, code);
            upDown.Add(-1, stream);
            gauge.Record(2.5, tls);
            histogram.Record(42, stream, code);
        }

        RecordAll(); // creates the series
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < 10_000; i++) RecordAll();
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.Equal(0, allocated);
        Assert.Equal("10001", MetricsScope.ValueOf(scope.Scrape(), "c_total{code=\"200\",stream=\"full\",tls=\"on\"}"));
    }
}
