using System.Diagnostics.Metrics;
using System.Text.RegularExpressions;
using Certstream.Hosting.Metrics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;

namespace Certstream.Deploy.Tests.Support;

/// <summary>
/// The Prometheus family names the services export: every instrument <see cref="InstrumentScan"/> finds is created
/// again on a test meter and scraped from the real exposition (shared/Hosting/Metrics), so the naming rule is the
/// product's own, not a copy. Histograms also yield their <c>_bucket</c>, <c>_sum</c> and <c>_count</c> series.
/// </summary>
internal static partial class ExportedMetrics
{
    private static readonly Lazy<Task<Result>> Cached = new(ScrapeAsync);

    public sealed record Result(IReadOnlySet<string> Series, IReadOnlyDictionary<string, string> Families, IReadOnlyList<ScannedInstrument> Instruments);

    public static Task<Result> GetAsync() => Cached.Value;

    private static async Task<Result> ScrapeAsync()
    {
        var instruments = InstrumentScan.Scan(out var unreadable);
        Assert.True(unreadable.Count == 0, "instrument names that are not literals: " + string.Join("; ", unreadable));

        var meterName = "DeployTests.Names." + Guid.NewGuid().ToString("N");
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Services.AddPrometheusExposition(o =>
        {
            o.MeterNamePrefix = meterName;
            o.IncludeProcessMetrics = false;
        });
        await using var app = builder.Build();
        app.MapPrometheusMetrics("/metrics");
        await app.StartAsync();

        using var meter = new Meter(meterName);
        foreach (var i in instruments)
            CreateAndRecord(meter, i);

        using var http = new HttpClient { BaseAddress = new Uri(app.Urls.First()) };
        var text = await http.GetStringAsync(new Uri("/metrics", UriKind.Relative));
        await app.StopAsync();

        var families = TypeLine().Matches(text).ToDictionary(m => m.Groups["name"].Value, m => m.Groups["type"].Value, StringComparer.Ordinal);
        var series = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (name, type) in families)
        {
            series.Add(name);
            if (type == "histogram") series.UnionWith([name + "_bucket", name + "_sum", name + "_count"]);
        }
        return new Result(series, families, instruments);
    }

    // Only kind, name and unit decide the family name; one measurement makes the series appear.
    private static void CreateAndRecord(Meter meter, ScannedInstrument i)
    {
        switch (i.Kind)
        {
            case "Counter": meter.CreateCounter<long>(i.Name, i.Unit).Add(1); break;
            case "UpDownCounter": meter.CreateUpDownCounter<long>(i.Name, i.Unit).Add(1); break;
            case "Histogram": meter.CreateHistogram<double>(i.Name, i.Unit).Record(0.1); break;
            case "Gauge": meter.CreateGauge<long>(i.Name, i.Unit).Record(1); break;
            case "ObservableCounter": meter.CreateObservableCounter(i.Name, () => 1L, i.Unit); break;
            case "ObservableUpDownCounter": meter.CreateObservableUpDownCounter(i.Name, () => 1L, i.Unit); break;
            case "ObservableGauge": meter.CreateObservableGauge(i.Name, () => 1L, i.Unit); break;
            default: throw new InvalidOperationException($"unknown instrument kind {i.Kind} ({i.File})");
        }
    }

    [GeneratedRegex(@"^# TYPE (?<name>\S+) (?<type>\S+)$", RegexOptions.Multiline)]
    private static partial Regex TypeLine();
}
