using Certstream.Ingestor.Checkpoints;
using Certstream.Ingestor.Http;
using Certstream.Ingestor.Publishing;
using Microsoft.Extensions.Logging;

namespace Certstream.Ingestor.Logs;

/// <summary>What every follower shares: settings, the HTTP client, the seams, metrics, logging and time.</summary>
internal sealed record FollowerContext(
    IngestorSettings Settings,
    LogHttp Http,
    IEntryPublisher Publisher,
    ICheckpointStore Checkpoints,
    IngestorMetrics Metrics,
    ILoggerFactory Loggers,
    TimeProvider Time)
{
    public Backoff Backoff { get; } = new(Settings.RetryMin, Settings.RetryMax);

    /// <summary>Service-wide bound on fetched entries in memory (<c>ingestor.fetch_buffer</c>).</summary>
    public FetchBuffer Buffer { get; } = new(Settings.FetchBuffer);
}
