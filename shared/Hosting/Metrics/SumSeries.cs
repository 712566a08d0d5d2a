namespace Certstream.Hosting.Metrics;

/// <summary>
/// A running sum (Counter, UpDownCounter). Integer instruments add with Interlocked.Add, so totals stay exact;
/// floating-point ones keep the double's bits in the same field and add with a compare-exchange loop.
/// </summary>
internal sealed class SumSeries(byte[] labels) : Series(labels)
{
    private long _value;

    public long Integer => Volatile.Read(ref _value);

    public double Real => BitConverter.Int64BitsToDouble(Volatile.Read(ref _value));

    public void Add(long value) => Interlocked.Add(ref _value, value);

    public void Add(double value) => AtomicDouble.Add(ref _value, value);
}
