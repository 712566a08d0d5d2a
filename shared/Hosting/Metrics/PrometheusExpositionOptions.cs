namespace Certstream.Hosting.Metrics;

/// <summary>What <see cref="PrometheusExpositionServiceCollectionExtensions.AddPrometheusExposition"/> exports.</summary>
public sealed class PrometheusExpositionOptions
{
    /// <summary>
    /// Instruments of meters whose name starts with this (ordinal) are exported; default <c>Certstream</c>,
    /// which takes <c>Certstream.Nats</c>, <c>Certstream.Edge</c>, … An empty prefix exports every meter.
    /// </summary>
    public string MeterNamePrefix { get; set; } = "Certstream";

    /// <summary>Whether the process_* and dotnet_* families are included (default true).</summary>
    public bool IncludeProcessMetrics { get; set; } = true;

    /// <summary>
    /// Most series (distinct tag sets) kept per instrument; measurements with further new tag sets are counted in
    /// one series labelled <c>otel_metric_overflow="true"</c>. Default 2000.
    /// </summary>
    public int MaxSeriesPerInstrument { get; set; } = 2000;
}
