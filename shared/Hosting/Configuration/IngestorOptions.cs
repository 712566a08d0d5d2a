namespace Certstream.Hosting.Configuration;

/// <summary>The <c>ingestor:</c> section.</summary>
public sealed record IngestorOptions
{
    /// <summary>Requests in flight per log.</summary>
    public int ParallelFetch { get; init; } = 4;
    public TimeSpan SthPollInterval { get; init; } = TimeSpan.FromSeconds(2);
    public TimeSpan PartialTileWait { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>
    /// Fetched entry data held at once across all logs before it is published (get-entries answers, data tiles): the
    /// ingestor's memory during catch-up, against its catch-up speed (README "Memory").
    /// </summary>
    public long FetchBuffer { get; init; } = 16L * 1024 * 1024;

    /// <summary><c>max_age</c> of the CT_RAW stream (README "NATS subjects").</summary>
    public TimeSpan RawMaxAge { get; init; } = TimeSpan.FromHours(24);
    public int MetricsPort { get; init; } = 9101;

    /// <summary>The address the metrics port listens on; "" = every interface (README "Metrics").</summary>
    public string MetricsAddr { get; init; } = "";
}
