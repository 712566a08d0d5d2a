using System.Diagnostics.Metrics;
using Certstream.Ingestor.Http;

namespace Certstream.Ingestor;

/// <summary>
/// The ingestor's instruments on meter <c>Certstream.Ingestor</c>, every one tagged <c>log</c> (SPEC §3 key).
/// Gauges are synchronous: a follower records them when they change.
/// </summary>
internal sealed class IngestorMetrics : IDisposable
{
    public const string MeterName = "Certstream.Ingestor";

    // Request latencies range from ~20 ms (CDN tile) to the 30 s timeout.
    private static readonly double[] LatencyBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

    private readonly Meter _meter;
    private readonly Counter<long> _published;
    private readonly Counter<long> _errors;
    private readonly Gauge<long> _treeSize;
    private readonly Gauge<long> _nextIndex;
    private readonly Gauge<long> _lag;
    private readonly Histogram<double> _requestDuration;
    private readonly UpDownCounter<int> _followed;

    public IngestorMetrics(IMeterFactory? meterFactory = null)
    {
        _meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        _published = _meter.CreateCounter<long>("ingestor.entries.published", "{entry}", "Log entries handed to the publisher");
        _errors = _meter.CreateCounter<long>("ingestor.errors", "{error}", "Errors talking to a log, by kind");
        _treeSize = _meter.CreateGauge<long>("ingestor.tree.size", "{entry}", "The log's latest tree size");
        _nextIndex = _meter.CreateGauge<long>("ingestor.next.index", "{entry}", "First index not yet acked contiguously (the checkpoint)");
        _lag = _meter.CreateGauge<long>("ingestor.lag", "{entry}", "Tree size minus next index");
        _requestDuration = _meter.CreateHistogram<double>("ingestor.request.duration", "s", "Duration of HTTP requests to CT logs",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = LatencyBuckets });
        _followed = _meter.CreateUpDownCounter<int>("ingestor.logs.followed", "{log}", "Logs with a running follower");
    }

    public void Published(string log, int count) => _published.Add(count, new KeyValuePair<string, object?>("log", log));

    public void Error(string log, ErrorKind kind) =>
        _errors.Add(1, new KeyValuePair<string, object?>("log", log), new KeyValuePair<string, object?>("kind", KindName(kind)));

    public void Position(string log, ulong treeSize, ulong nextIndex)
    {
        var tag = new KeyValuePair<string, object?>("log", log);
        _treeSize.Record(Clamp(treeSize), tag);
        _nextIndex.Record(Clamp(nextIndex), tag);
        _lag.Record(treeSize > nextIndex ? Clamp(treeSize - nextIndex) : 0, tag);
    }

    public void RecordRequest(string log, string endpoint, TimeSpan elapsed) =>
        _requestDuration.Record(elapsed.TotalSeconds, new KeyValuePair<string, object?>("log", log), new KeyValuePair<string, object?>("endpoint", endpoint));

    public void FollowerStarted() => _followed.Add(1);

    public void FollowerStopped() => _followed.Add(-1);

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

    public void Dispose() => _meter.Dispose();

    private static long Clamp(ulong value) => value > long.MaxValue ? long.MaxValue : (long)value;
}
