using System.Diagnostics.Metrics;
using System.Numerics;

namespace Certstream.Hosting.Metrics;

/// <summary>Bucket bounds of a histogram: the instrument's advice when given, else a default by unit.</summary>
internal static class HistogramBuckets
{
    /// <summary>Prometheus client defaults, for durations recorded in seconds.</summary>
    public static ReadOnlySpan<double> Seconds => [0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10];

    /// <summary>OpenTelemetry's defaults (suited to milliseconds, sizes and counts), for every other unit.</summary>
    public static ReadOnlySpan<double> General => [0, 5, 10, 25, 50, 75, 100, 250, 500, 750, 1000, 2500, 5000, 7500, 10000];

    public static double[] For(Instrument instrument)
    {
        var advised = instrument switch
        {
            Histogram<byte> h => Advised(h.Advice),
            Histogram<short> h => Advised(h.Advice),
            Histogram<int> h => Advised(h.Advice),
            Histogram<long> h => Advised(h.Advice),
            Histogram<float> h => Advised(h.Advice),
            Histogram<double> h => Advised(h.Advice),
            Histogram<decimal> h => Advised(h.Advice),
            _ => null,
        };
        if (advised is not null) return advised;
        return instrument.Unit == "s" ? Seconds.ToArray() : General.ToArray();
    }

    private static double[]? Advised<T>(InstrumentAdvice<T>? advice) where T : struct, INumberBase<T>
    {
        if (advice?.HistogramBucketBoundaries is not { } bounds) return null;
        // InstrumentAdvice already insists on ascending order; +Inf is implied and NaN means nothing.
        return [.. bounds.Select(double.CreateSaturating).Where(double.IsFinite).Distinct().Order()];
    }
}
