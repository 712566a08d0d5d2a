using System.Diagnostics.Metrics;
using System.Globalization;
using Certstream.Hosting.Metrics;

namespace Certstream.Hosting.Tests.Metrics;

/// <summary>
/// An exposition that sees only this test's meters: tests run in parallel in one process, and MeterListener
/// sees every meter of the process, so each scope uses a prefix of its own.
/// </summary>
internal sealed class MetricsScope : IDisposable
{
    private readonly List<Meter> _meters = [];

    public MetricsScope(bool processMetrics = false, int maxSeries = 2000)
    {
        Exposition = new PrometheusExposition(new PrometheusExpositionOptions
        {
            MeterNamePrefix = Prefix,
            IncludeProcessMetrics = processMetrics,
            MaxSeriesPerInstrument = maxSeries,
        });
        Meter = NewMeter();
    }

    public string Prefix { get; } = "Test" + Guid.NewGuid().ToString("N");

    public Meter Meter { get; }

    public PrometheusExposition Exposition { get; }

    public Meter NewMeter(string suffix = "Service")
    {
        var meter = new Meter(Prefix + "." + suffix);
        _meters.Add(meter);
        return meter;
    }

    public string Scrape() => Exposition.Scrape();

    public void Dispose()
    {
        foreach (var meter in _meters) meter.Dispose();
        Exposition.Dispose();
    }

    /// <summary>The sample lines (not comments) of an exposition.</summary>
    public static string[] Samples(string exposition) =>
        [.. exposition.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => !l.StartsWith('#'))];

    /// <summary>The value text of the sample whose series (name and label text) is exactly <paramref name="series"/>.</summary>
    public static string ValueOf(string exposition, string series)
    {
        var matches = Samples(exposition).Where(l => l.StartsWith(series + " ", StringComparison.Ordinal)).ToArray();
        Assert.True(matches.Length == 1, $"expected one sample '{series}', found {matches.Length} in:\n{exposition}");
        return matches[0][(series.Length + 1)..];
    }

    public static double NumberOf(string exposition, string series) =>
        double.Parse(ValueOf(exposition, series), NumberStyles.Float, CultureInfo.InvariantCulture);
}
