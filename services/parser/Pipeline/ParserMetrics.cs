using System.Collections.Concurrent;
using Certstream.Hosting.Metrics;
using Prometheus;

namespace Certstream.Parser.Pipeline;

/// <summary>
/// The parser's metrics (README "Metrics", <c>certstream_parser_*</c>), declared with prometheus-net in the service's
/// registry. Recording takes no lock and, once a log's series exist, allocates nothing, so workers record per entry.
/// </summary>
internal sealed class ParserMetrics
{
    // One entry decodes in ~20–200 µs; a pathological certificate may take milliseconds.
    private static readonly double[] DecodeBuckets = [0.00001, 0.000025, 0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.1];

    // Up to parser.fetch_batch (256 by default); small batches mean an idle or starved consumer.
    private static readonly double[] BatchBuckets = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024];

    private readonly Counter _entries;
    private readonly Histogram _decodeDuration;
    private readonly Histogram _batchSize;
    private readonly Gauge _consumerPending;
    private readonly Counter _repeats;
    private readonly Counter _uniqueUnchecked;
    private readonly ConcurrentDictionary<string, LogSeries> _logs = new(StringComparer.Ordinal);

    public ParserMetrics(ServiceMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        var f = metrics.Factory;
        // type is x509 or precert for ok entries, empty (no label) for rejected ones.
        _entries = f.CreateCounter("certstream_parser_entries_total",
            "Raw entries handled, by log, result (ok | rejected) and, for ok entries, type (x509 | precert)", ["log", "result", "type"]);
        _decodeDuration = f.CreateHistogram("certstream_parser_decode_duration_seconds", "Time to decode one entry into its three messages",
            new HistogramConfiguration { Buckets = DecodeBuckets });
        _batchSize = f.CreateHistogram("certstream_parser_batch_size", "Entries per fetched batch", new HistogramConfiguration { Buckets = BatchBuckets });
        // Nothing is reported until the first consumer info arrived.
        _consumerPending = f.CreateGauge("certstream_parser_consumer_pending", "Entries in CT_RAW not yet delivered to the parser consumer (num_pending)",
            new GaugeConfiguration { SuppressInitialValue = true });
        _repeats = f.CreateCounter("certstream_parser_repeats_total",
            "Certificates whose leaf CT_UNIQUE had already seen within unique.window (logged to another log, or again): not marked unique");
        _uniqueUnchecked = f.CreateCounter("certstream_parser_unique_unchecked_total",
            "Entries published marked unique without a claim, because claiming in CT_UNIQUE failed (unique clients may see repeats)");
    }

    public void Entry(string log, bool ok, bool precert)
    {
        var series = _logs.GetOrAdd(log, static (key, entries) => new LogSeries(
            entries.WithLabels(key, "ok", "x509"), entries.WithLabels(key, "ok", "precert"), entries.WithLabels(key, "rejected", "")), _entries);
        (ok ? precert ? series.Precert : series.X509 : series.Rejected).Inc();
    }

    public void DecodeDuration(double seconds) => _decodeDuration.Observe(seconds);

    public void BatchSize(int count) => _batchSize.Observe(count);

    /// <summary>One certificate was a repeat of a leaf seen within the unique window.</summary>
    public void Repeat() => _repeats.Inc();

    /// <summary>Entries marked unique unchecked (CT_UNIQUE unavailable).</summary>
    public void UniqueUnchecked(int count) => _uniqueUnchecked.Inc(count);

    /// <summary>The latest <c>num_pending</c> from consumer info.</summary>
    public void ConsumerPending(ulong pending) => _consumerPending.Set(pending);

    private sealed record LogSeries(Counter.Child X509, Counter.Child Precert, Counter.Child Rejected);
}
