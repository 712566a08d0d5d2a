using Certstream.Hosting.Metrics;
using Certstream.Ingestor.Http;
using Certstream.Ingestor.Verification;
using Prometheus;

namespace Certstream.Ingestor;

/// <summary>
/// The ingestor's metrics (README "Metrics"), declared with prometheus-net in the service's registry; every per-log
/// series is labelled <c>log</c> (the log key). Gauges are set by a follower when they change.
/// </summary>
internal sealed class IngestorMetrics
{
    // Request latencies range from ~20 ms (CDN tile) to the 30 s timeout.
    private static readonly double[] LatencyBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

    private readonly Counter _published;
    private readonly Counter _errors;
    private readonly Gauge _treeSize;
    private readonly Gauge _nextIndex;
    private readonly Gauge _lag;
    private readonly Histogram _requestDuration;
    private readonly Gauge _followed;
    private readonly Counter _verifyFailures;
    private readonly Counter _verifiedHeads;
    private readonly Gauge _halted;

    public IngestorMetrics(ServiceMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        var f = metrics.Factory;
        _published = f.CreateCounter("ingestor_entries_published_total", "Log entries handed to the publisher", ["log"]);
        _errors = f.CreateCounter("ingestor_errors_total", "Errors talking to a log, by kind", ["log", "kind"]);
        _treeSize = f.CreateGauge("ingestor_tree_size", "The log's latest tree size", ["log"]);
        _nextIndex = f.CreateGauge("ingestor_next_index", "First index not yet acked contiguously (the checkpoint)", ["log"]);
        _lag = f.CreateGauge("ingestor_lag", "Tree size minus next index", ["log"]);
        _requestDuration = f.CreateHistogram("ingestor_request_duration_seconds", "Duration of HTTP requests to CT logs", ["log", "endpoint"],
            new HistogramConfiguration { Buckets = LatencyBuckets });
        _followed = f.CreateGauge("ingestor_logs_followed", "Logs with a running follower");
        _verifyFailures = f.CreateCounter("ingestor_verify_failures_total", "Tree heads that failed a check, by check (signature, consistency, no_key)", ["log", "check"]);
        _verifiedHeads = f.CreateCounter("ingestor_verified_heads_total", "Tree heads whose signature and consistency with the previous head were verified", ["log"]);
        _halted = f.CreateGauge("ingestor_log_halted", "1 while general.verify: enforce has stopped following the log", ["log"]);
    }

    public void Published(string log, int count) => _published.WithLabels(log).Inc(count);

    public void Error(string log, ErrorKind kind) => _errors.WithLabels(log, KindName(kind)).Inc();

    public void Position(string log, ulong treeSize, ulong nextIndex)
    {
        _treeSize.WithLabels(log).Set(treeSize);
        _nextIndex.WithLabels(log).Set(nextIndex);
        _lag.WithLabels(log).Set(treeSize > nextIndex ? treeSize - nextIndex : 0);
    }

    public void RecordRequest(string log, string endpoint, TimeSpan elapsed) => _requestDuration.WithLabels(log, endpoint).Observe(elapsed.TotalSeconds);

    public void VerifyFailed(string log, VerifyCheck check) => _verifyFailures.WithLabels(log, CheckName(check)).Inc();

    public void HeadVerified(string log) => _verifiedHeads.WithLabels(log).Inc();

    public void Halted(string log, bool halted) => _halted.WithLabels(log).Set(halted ? 1 : 0);

    public static string CheckName(VerifyCheck check) => check switch
    {
        VerifyCheck.NoKey => "no_key",
        _ => check.ToString().ToLowerInvariant(),
    };

    public void FollowerStarted() => _followed.Inc();

    public void FollowerStopped() => _followed.Dec();

    public static string KindName(ErrorKind kind) => kind switch
    {
        ErrorKind.RateLimited => "rate_limited",
        ErrorKind.NotFound => "not_found",
        ErrorKind.ClientError => "client_error",
        ErrorKind.ServerError => "server_error",
        ErrorKind.IssuerMismatch => "issuer_mismatch",
        ErrorKind.CheckpointStore => "checkpoint_store",
        _ => kind.ToString().ToLowerInvariant(),
    };
}
