using System.Diagnostics.Metrics;

namespace Certstream.Parser.Pipeline;

/// <summary>
/// The parser's instruments on meter <c>Certstream.Parser</c> (exposed as <c>certstream_parser_*</c>).
/// Recording is lock-free and allocation-free, so workers record per entry.
/// </summary>
internal sealed class ParserMetrics : IDisposable
{
    public const string MeterName = "Certstream.Parser";

    // One entry decodes in ~20–200 µs; a pathological certificate may take milliseconds.
    private static readonly double[] DecodeBuckets = [0.00001, 0.000025, 0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.1];

    // Up to parser.fetch_batch (256 by default); small batches mean an idle or starved consumer.
    private static readonly long[] BatchBuckets = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024];

    private static readonly KeyValuePair<string, object?> Ok = new("result", "ok");
    private static readonly KeyValuePair<string, object?> Rejected = new("result", "rejected");
    private static readonly KeyValuePair<string, object?> X509 = new("type", "x509");
    private static readonly KeyValuePair<string, object?> Precert = new("type", "precert");

    private readonly Meter _meter;
    private readonly Counter<long> _entries;
    private readonly Histogram<double> _decodeDuration;
    private readonly Histogram<long> _batchSize;
    private long _consumerPending = -1;

    public ParserMetrics(IMeterFactory? meterFactory = null)
    {
        _meter = meterFactory?.Create(MeterName) ?? new Meter(MeterName);
        _entries = _meter.CreateCounter<long>("certstream.parser.entries", "{entry}", "Raw entries handled, by log, result (ok | rejected) and, for ok entries, type (x509 | precert)");
        _decodeDuration = _meter.CreateHistogram<double>("certstream.parser.decode_duration", "s", "Time to decode one entry into its three messages",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = DecodeBuckets });
        _batchSize = _meter.CreateHistogram<long>("certstream.parser.batch_size", "{entry}", "Entries per fetched batch",
            advice: new InstrumentAdvice<long> { HistogramBucketBoundaries = BatchBuckets });
        _meter.CreateObservableGauge("certstream.parser.consumer_pending", ObservePending, "{entry}",
            "Entries in CT_RAW not yet delivered to the parser consumer (num_pending)");
    }

    public void Entry(string log, bool ok, bool precert)
    {
        var logTag = new KeyValuePair<string, object?>("log", log);
        if (ok)
            _entries.Add(1, logTag, Ok, precert ? Precert : X509);
        else
            _entries.Add(1, logTag, Rejected);
    }

    public void DecodeDuration(double seconds) => _decodeDuration.Record(seconds);

    public void BatchSize(int count) => _batchSize.Record(count);

    /// <summary>The latest <c>num_pending</c> from consumer info; nothing is reported until the first refresh.</summary>
    public void ConsumerPending(ulong pending) => Volatile.Write(ref _consumerPending, pending > long.MaxValue ? long.MaxValue : (long)pending);

    public void Dispose() => _meter.Dispose();

    private IEnumerable<Measurement<long>> ObservePending()
    {
        var pending = Volatile.Read(ref _consumerPending);
        return pending < 0 ? [] : [new Measurement<long>(pending)];
    }
}
