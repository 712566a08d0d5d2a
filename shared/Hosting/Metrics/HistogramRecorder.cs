using System.Diagnostics.Metrics;
using System.Text;

namespace Certstream.Hosting.Metrics;

/// <summary>Histogram&lt;T&gt;: explicit-bucket counts and sum per series.</summary>
internal sealed class HistogramRecorder : InstrumentRecorder
{
    private readonly SeriesTable<HistogramSeries> _series;

    public HistogramRecorder(Instrument instrument, bool isInteger, double[] bounds, int maxSeries)
        : base(instrument, MetricType.Histogram, isInteger, isAdditive: true)
    {
        Bounds = bounds;
        // Encoded once: le="…" for each bound, then +Inf.
        BucketLabels = [.. bounds.Select(b => ExpositionWriter.EncodeLabel("le", ExpositionWriter.FormatDouble(b))), Encoding.UTF8.GetBytes("le=\"+Inf\"")];
        _series = new SeriesTable<HistogramSeries>(tags => new HistogramSeries(EncodeLabels(tags), bounds.Length + 1), maxSeries);
    }

    /// <summary>Upper bounds, ascending, finite, without +Inf.</summary>
    public double[] Bounds { get; }

    /// <summary>Encoded <c>le</c> label of each bucket, the last one <c>+Inf</c>.</summary>
    public byte[][] BucketLabels { get; }

    public override void Record(long value, ReadOnlySpan<KeyValuePair<string, object?>> tags) => _series.Get(tags).Record(value, Bounds);

    public override void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags) => _series.Get(tags).Record(value, Bounds);

    public override void Collect(List<Sample> samples)
    {
        foreach (var series in _series.Series)
            samples.Add(new Sample(series.Labels, 0, series.Sum, IsReal: true, series.ReadCounts()));
    }

    public override bool FitsFamilyOf(InstrumentRecorder first) =>
        base.FitsFamilyOf(first) && first is HistogramRecorder other && Bounds.AsSpan().SequenceEqual(other.Bounds);
}
