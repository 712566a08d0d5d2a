namespace Certstream.Hosting.Metrics;

/// <summary>
/// One series' values read for a scrape. The value is <see cref="Integer"/> when <see cref="IsReal"/> is false,
/// else <see cref="Integer"/> + <see cref="Real"/> (after a merge of integer and floating-point instruments).
/// Histograms carry per-bucket counts and the sum in <see cref="Real"/>.
/// </summary>
internal record struct Sample(byte[] Labels, long Integer, double Real, bool IsReal, long[]? Buckets = null)
{
    public readonly double Value => Integer + Real;

    /// <summary>Folds a second instrument's series with the same labels into this one.</summary>
    public readonly Sample Plus(Sample other)
    {
        long[]? buckets = null;
        if (Buckets is not null && other.Buckets is not null)
        {
            buckets = (long[])Buckets.Clone();
            for (var i = 0; i < buckets.Length; i++) buckets[i] += other.Buckets[i];
        }
        return new Sample(Labels, Integer + other.Integer, Real + other.Real, IsReal || other.IsReal, buckets);
    }
}
