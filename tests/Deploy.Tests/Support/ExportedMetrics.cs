using Certstream.Hosting.Metrics;
using Certstream.TestSupport;
using Prometheus;

namespace Certstream.Deploy.Tests.Support;

/// <summary>
/// The Prometheus families the services export: every metric <see cref="InstrumentScan"/> finds is declared again in a
/// fresh prometheus-net registry (the product's <see cref="ServiceMetrics"/>), given a value, and scraped, so names and
/// types are prometheus-net's own. Histograms also yield their <c>_bucket</c>, <c>_sum</c> and <c>_count</c> series.
/// </summary>
internal static class ExportedMetrics
{
    private static readonly Lazy<Task<Result>> Cached = new(ScrapeAsync);

    public sealed record Result(IReadOnlySet<string> Series, IReadOnlyDictionary<string, string> Families, IReadOnlyList<ScannedInstrument> Instruments, string Exposition);

    public static Task<Result> GetAsync() => Cached.Value;

    private static async Task<Result> ScrapeAsync()
    {
        var instruments = InstrumentScan.Scan(out var unreadable);
        Assert.True(unreadable.Count == 0, "metric names that are not literals: " + string.Join("; ", unreadable));

        var metrics = new ServiceMetrics(includeProcessMetrics: false);
        foreach (var i in instruments.DistinctBy(i => i.Name))
            CreateAndRecord(metrics.Factory, i);
        var text = await metrics.ScrapeAsync();

        var families = PrometheusText.Types(text);
        var series = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, type) in families)
        {
            series.Add(name);
            if (type == "histogram") series.UnionWith([name + "_bucket", name + "_sum", name + "_count"]);
        }
        return new Result(series, families, instruments, text);
    }

    // One value per family makes its series appear; label values are placeholders.
    private static void CreateAndRecord(IMetricFactory factory, ScannedInstrument i)
    {
        var labels = i.Labels.ToArray();
        var values = labels.Select(_ => "x").ToArray();
        switch (i.Kind)
        {
            case "Counter": factory.CreateCounter(i.Name, "scanned", labels).WithLabels(values).Inc(); break;
            case "Gauge": factory.CreateGauge(i.Name, "scanned", labels).WithLabels(values).Set(1); break;
            case "Histogram": factory.CreateHistogram(i.Name, "scanned", labels).WithLabels(values).Observe(0.1); break;
            case "Summary": factory.CreateSummary(i.Name, "scanned", labels).WithLabels(values).Observe(0.1); break;
            default: throw new InvalidOperationException($"unknown metric kind {i.Kind} ({i.File})");
        }
    }
}
