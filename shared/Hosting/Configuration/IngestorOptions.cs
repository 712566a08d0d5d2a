namespace Certstream.Hosting.Configuration;

/// <summary>The <c>ingestor:</c> section.</summary>
public sealed record IngestorOptions
{
    /// <summary>Requests in flight per log.</summary>
    public int ParallelFetch { get; init; } = 4;
    public TimeSpan SthPollInterval { get; init; } = TimeSpan.FromSeconds(2);
    public TimeSpan PartialTileWait { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary><c>max_age</c> of the CT_RAW stream (SPEC §3).</summary>
    public TimeSpan RawMaxAge { get; init; } = TimeSpan.FromHours(24);
    public int MetricsPort { get; init; } = 9101;
}
