using System.Diagnostics.Metrics;

namespace Certstream.Hosting.Metrics;

/// <summary>Counter (Prometheus counter) and UpDownCounter (Prometheus gauge): the sum of all increments.</summary>
internal sealed class SumRecorder : InstrumentRecorder
{
    private readonly SeriesTable<SumSeries> _series;
    private readonly bool _monotonic;

    public SumRecorder(Instrument instrument, MetricType type, bool isInteger, int maxSeries)
        : base(instrument, type, isInteger, isAdditive: true)
    {
        _monotonic = type == MetricType.Counter;
        _series = new SeriesTable<SumSeries>(tags => new SumSeries(EncodeLabels(tags)), maxSeries);
    }

    public override void Record(long value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        // A Prometheus counter only goes up: a negative increment would read as a counter reset.
        if (_monotonic && value < 0) return;
        _series.Get(tags).Add(value);
    }

    public override void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (_monotonic && !(value >= 0)) return; // also drops NaN, which would poison the total for good
        _series.Get(tags).Add(value);
    }

    public override void Collect(List<Sample> samples)
    {
        foreach (var series in _series.Series)
        {
            samples.Add(IsInteger
                ? new Sample(series.Labels, series.Integer, 0, IsReal: false)
                : new Sample(series.Labels, 0, series.Real, IsReal: true));
        }
    }
}
