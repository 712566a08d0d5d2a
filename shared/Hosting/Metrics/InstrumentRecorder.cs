using System.Diagnostics.Metrics;
using System.Text;

namespace Certstream.Hosting.Metrics;

/// <summary>
/// Receives one instrument's measurements (it is the MeterListener's per-instrument state) and reads its
/// series for a scrape. One subclass per way of aggregating (sum, last value, histogram); <see cref="For"/> picks one for an instrument.
/// </summary>
internal abstract class InstrumentRecorder
{
    protected InstrumentRecorder(Instrument instrument, MetricType type, bool isInteger, bool isAdditive)
    {
        Instrument = instrument;
        Type = type;
        IsInteger = isInteger;
        IsAdditive = isAdditive;
        FamilyName = MetricNames.FamilyName(instrument.Name, instrument.Unit, type == MetricType.Counter);
        FamilyNameBytes = Encoding.UTF8.GetBytes(FamilyName);
        Help = string.IsNullOrEmpty(instrument.Description) ? instrument.Name : instrument.Description;
        ConstantTags = [.. instrument.Meter.Tags ?? [], .. instrument.Tags ?? []];
    }

    public Instrument Instrument { get; }
    public MetricType Type { get; }

    /// <summary>Whether the instrument's T is an integer type (values kept as exact longs).</summary>
    public bool IsInteger { get; }

    /// <summary>
    /// Whether the same series from two instruments adds up (counters, up-down counters, histograms — observable
    /// ones too, e.g. one per connection) rather than being one reading (gauges, where the first is kept).
    /// </summary>
    public bool IsAdditive { get; }

    public string FamilyName { get; }
    public byte[] FamilyNameBytes { get; }
    public string Help { get; }

    /// <summary>
    /// The meter's tags, then the instrument's (MeterOptions.Tags, CreateCounter(…, tags)): labels of every series,
    /// the instrument's winning over the meter's and a measurement's over both.
    /// </summary>
    public KeyValuePair<string, object?>[] ConstantTags { get; }

    /// <summary>The label text of a new series.</summary>
    protected byte[] EncodeLabels(TagSet tags) => LabelText.Encode(tags, ConstantTags);

    public abstract void Record(long value, ReadOnlySpan<KeyValuePair<string, object?>> tags);

    public abstract void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags);

    /// <summary>Appends the series to export now.</summary>
    public abstract void Collect(List<Sample> samples);

    /// <summary>
    /// Whether this instrument's series can be printed in the family <paramref name="first"/> opened: two instruments
    /// with one name (two Meter instances, or two meters naming an instrument alike) merge when they agree on
    /// type, additivity and buckets; otherwise the later one is left out rather than break the exposition.
    /// </summary>
    public virtual bool FitsFamilyOf(InstrumentRecorder first) => Type == first.Type && IsAdditive == first.IsAdditive;

    /// <summary>A recorder for an instrument, or null for instrument types this exposition does not know.</summary>
    public static InstrumentRecorder? For(Instrument instrument, int maxSeries)
    {
        var type = instrument.GetType();
        if (!type.IsGenericType) return null;
        var valueType = type.GetGenericArguments()[0];
        var isInteger = valueType == typeof(byte) || valueType == typeof(short) || valueType == typeof(int) || valueType == typeof(long);
        var definition = type.GetGenericTypeDefinition();

        if (definition == typeof(Counter<>))
            return new SumRecorder(instrument, MetricType.Counter, isInteger, maxSeries);
        if (definition == typeof(UpDownCounter<>))
            return new SumRecorder(instrument, MetricType.Gauge, isInteger, maxSeries);
        if (definition == typeof(ObservableCounter<>))
            return new LastValueRecorder(instrument, MetricType.Counter, isInteger, maxSeries, onlyReported: true, isAdditive: true);
        if (definition == typeof(ObservableUpDownCounter<>))
            return new LastValueRecorder(instrument, MetricType.Gauge, isInteger, maxSeries, onlyReported: true, isAdditive: true);
        if (definition == typeof(ObservableGauge<>))
            return new LastValueRecorder(instrument, MetricType.Gauge, isInteger, maxSeries, onlyReported: true, isAdditive: false);
        if (definition == typeof(Gauge<>))
            return new LastValueRecorder(instrument, MetricType.Gauge, isInteger, maxSeries, onlyReported: false, isAdditive: false);
        if (definition == typeof(Histogram<>))
            return new HistogramRecorder(instrument, isInteger, HistogramBuckets.For(instrument), maxSeries);
        return null;
    }
}
