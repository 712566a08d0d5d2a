using System.Diagnostics.Metrics;

namespace Certstream.Hosting.Metrics;

/// <summary>
/// Gauge&lt;T&gt; and the observable instruments (whose callbacks, run at each scrape, report current or
/// cumulative values): the last value of each series.
/// </summary>
internal sealed class LastValueRecorder : InstrumentRecorder
{
    private readonly SeriesTable<LastValueSeries> _series;
    private readonly bool _onlyReported;

    /// <param name="onlyReported">Export only series the callbacks reported in this scrape (observable instruments).</param>
    public LastValueRecorder(Instrument instrument, MetricType type, bool isInteger, int maxSeries, bool onlyReported, bool isAdditive)
        : base(instrument, type, isInteger, isAdditive)
    {
        _onlyReported = onlyReported;
        _series = new SeriesTable<LastValueSeries>(tags => new LastValueSeries(EncodeLabels(tags)), maxSeries);
    }

    public override void Record(long value, ReadOnlySpan<KeyValuePair<string, object?>> tags) => _series.Get(tags).Set(value);

    public override void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags) => _series.Get(tags).Set(value);

    public override void Collect(List<Sample> samples)
    {
        foreach (var series in _series.Series)
        {
            var reported = series.TakeReported();
            if (_onlyReported && !reported) continue;
            samples.Add(IsInteger
                ? new Sample(series.Labels, series.Integer, 0, IsReal: false)
                : new Sample(series.Labels, 0, series.Real, IsReal: true));
        }
    }
}
