using Prometheus;

namespace Certstream.Hosting.Metrics;

/// <summary>
/// The service's prometheus-net registry, served on <c>/metrics</c> by <c>MapServiceDefaults</c>, and the factory its
/// metrics are declared with. One registry per service instance rather than prometheus-net's static default, so that
/// several services in one process (tests, the bench) keep their series apart. It carries prometheus-net's .NET and
/// process metrics (<see cref="DotNetStats"/>) and the standard <c>process_*</c> families they lack (<see cref="ProcessMetrics"/>).
/// </summary>
public sealed class ServiceMetrics
{
    public ServiceMetrics(bool includeProcessMetrics = true)
    {
        Registry = Prometheus.Metrics.NewCustomRegistry();
        Factory = Prometheus.Metrics.WithCustomRegistry(Registry);
        if (!includeProcessMetrics) return;
        DotNetStats.Register(Registry);
        ProcessMetrics.Register(this);
    }

    public CollectorRegistry Registry { get; }

    public IMetricFactory Factory { get; }

    /// <summary>Runs <paramref name="update"/> before every scrape: how values read from elsewhere (sessions, a client) reach their series.</summary>
    public void BeforeCollect(Action update) => Registry.AddBeforeCollectCallback(update);

    /// <summary>The exposition as <c>/metrics</c> serves it (Prometheus text format 0.0.4).</summary>
    public async Task<string> ScrapeAsync(CancellationToken cancellationToken = default)
    {
        using var text = new MemoryStream();
        await Registry.CollectAndExportAsTextAsync(text, cancellationToken);
        return System.Text.Encoding.UTF8.GetString(text.GetBuffer(), 0, (int)text.Length);
    }
}
