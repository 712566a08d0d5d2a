namespace Certstream.Hosting.Metrics;

/// <summary>Lock-free addition to a double stored as its bits in a long.</summary>
internal static class AtomicDouble
{
    public static void Add(ref long bits, double value)
    {
        var current = Volatile.Read(ref bits);
        while (true)
        {
            var next = BitConverter.DoubleToInt64Bits(BitConverter.Int64BitsToDouble(current) + value);
            // Compared as bits, not as doubles: a NaN sum would otherwise never compare equal and spin forever.
            var seen = Interlocked.CompareExchange(ref bits, next, current);
            if (seen == current) return;
            current = seen;
        }
    }
}
