namespace Certstream.Hosting.Metrics;

/// <summary>
/// The last value reported (Gauge, and every observable instrument, whose callbacks report absolute values).
/// Holds a long, or a double's bits, depending on the instrument's type.
/// </summary>
internal sealed class LastValueSeries(byte[] labels) : Series(labels)
{
    private long _value;
    private int _reported;

    public long Integer => Volatile.Read(ref _value);

    public double Real => BitConverter.Int64BitsToDouble(Volatile.Read(ref _value));

    public void Set(long value)
    {
        Volatile.Write(ref _value, value);
        Volatile.Write(ref _reported, 1);
    }

    public void Set(double value) => Set(BitConverter.DoubleToInt64Bits(value));

    /// <summary>
    /// Whether a value was set since the last call. Observable series not reported by this scrape's callbacks
    /// are left out, as the instrument no longer has them (an OpenTelemetry collector does the same).
    /// </summary>
    public bool TakeReported() => Interlocked.Exchange(ref _reported, 0) == 1;
}
