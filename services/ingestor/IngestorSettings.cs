using Certstream.Ingestor.Logs;
using VerifyMode = Certstream.Hosting.Configuration.VerifyMode;

namespace Certstream.Ingestor;

/// <summary>
/// The ingestor's view of the <c>general:</c> and <c>ingestor:</c> config sections (README "Configuration"), with the
/// spec's defaults. The integrator maps the Hosting options records onto this record; the last group
/// holds operating constants that are not config keys (tests shorten them).
/// </summary>
internal sealed record IngestorSettings
{
    // general:
    public string LogListUrl { get; init; } = "https://www.gstatic.com/ct/log_list/v3/log_list.json";
    public bool DisableDefaultLogs { get; init; }
    public IReadOnlyList<CustomLog> AdditionalLogs { get; init; } = [];
    public IReadOnlyList<CustomLog> AdditionalTiledLogs { get; init; } = [];
    public IReadOnlyList<LogExclusion> ExcludedLogs { get; init; } = [];
    public IReadOnlyList<string> LogStates { get; init; } = ["usable", "qualified", "readonly"];
    public StartPosition StartAt { get; init; } = StartPosition.Head;
    /// <summary>docs/ingest.md "Verified logs".</summary>
    public VerifyMode Verify { get; init; } = VerifyMode.Warn;
    public string UserAgent { get; init; } = "certstream-nats/0.1.0";

    // ingestor:
    public int ParallelFetch { get; init; } = 4;
    public TimeSpan SthPollInterval { get; init; } = TimeSpan.FromSeconds(2);
    public TimeSpan PartialTileWait { get; init; } = TimeSpan.FromSeconds(60);
    /// <summary>Bytes of fetched entries held at once across all logs until published (<see cref="Logs.FetchBuffer"/>).</summary>
    public long FetchBuffer { get; init; } = 16L * 1024 * 1024;

    // Operating constants (not config keys).
    /// <summary>docs/ingest.md: the log list is refreshed hourly.</summary>
    public TimeSpan LogListRefreshInterval { get; init; } = TimeSpan.FromHours(1);
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);
    /// <summary>Retry backoff bounds (docs/ingest.md: ct-go 1 s → 30 s, certspotter 100 ms → 30 s).</summary>
    public TimeSpan RetryMin { get; init; } = TimeSpan.FromSeconds(1);
    public TimeSpan RetryMax { get; init; } = TimeSpan.FromSeconds(30);
    /// <summary>How often an advanced checkpoint is written to the store (and once more at shutdown).</summary>
    public TimeSpan CheckpointSaveInterval { get; init; } = TimeSpan.FromSeconds(1);
    /// <summary>How long a stopping follower waits for in-flight acks before it saves its last checkpoint.</summary>
    public TimeSpan ShutdownGrace { get; init; } = TimeSpan.FromSeconds(5);
    /// <summary>First get-entries request size, before a log's cap is learned (RFC 6962 §4.6: caps seen are 32–1024).</summary>
    public int MaxBatch { get; init; } = 1024;
    /// <summary>Refuse bodies larger than this (a full data tile is ~400 KB, 1024 entries of get-entries a few MB).</summary>
    public int MaxResponseBytes { get; init; } = 64 * 1024 * 1024;
}
