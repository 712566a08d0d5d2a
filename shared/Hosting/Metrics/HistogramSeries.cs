namespace Certstream.Hosting.Metrics;

/// <summary>
/// Per-bucket counts (not cumulative: one increment per measurement) and the sum; the last bucket is +Inf.
/// The exposition derives the cumulative buckets and the count from one read of the per-bucket counts,
/// so <c>_count</c> always equals the <c>+Inf</c> bucket.
/// </summary>
internal sealed class HistogramSeries(byte[] labels, int bucketCount) : Series(labels)
{
    private readonly long[] _counts = new long[bucketCount];
    private long _sumBits;

    public double Sum => BitConverter.Int64BitsToDouble(Volatile.Read(ref _sumBits));

    public void Record(double value, double[] bounds)
    {
        Interlocked.Increment(ref _counts[BucketOf(value, bounds)]);
        AtomicDouble.Add(ref _sumBits, value);
    }

    public long[] ReadCounts()
    {
        var copy = new long[_counts.Length];
        for (var i = 0; i < copy.Length; i++) copy[i] = Volatile.Read(ref _counts[i]);
        return copy;
    }

    /// <summary>The first bucket whose upper bound is ≥ the value (Prometheus <c>le</c> is inclusive); NaN goes to +Inf.</summary>
    internal static int BucketOf(double value, double[] bounds)
    {
        if (double.IsNaN(value)) return bounds.Length;
        int lo = 0, hi = bounds.Length;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (value <= bounds[mid]) hi = mid;
            else lo = mid + 1;
        }
        return lo;
    }
}
