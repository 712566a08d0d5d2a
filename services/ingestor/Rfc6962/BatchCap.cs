namespace Certstream.Ingestor.Rfc6962;

/// <summary>
/// A log's get-entries cap, learned from its answers (RFC 6962 §4.6). Logs return at most their cap and
/// Trillian cuts requests back to the next multiple of it, so a short answer's size is a lower bound of the
/// cap: the estimate starts at the probe size, drops to the first short answer and then only grows to
/// larger short answers (an unaligned first answer — 22 of a 32-cap log — is corrected by the next one).
/// Ranges are planned in cap-sized, cap-aligned windows so requests fall on the log's cacheable boundaries.
/// </summary>
internal sealed class BatchCap
{
    private readonly int _probe;
    private int _learned;

    public BatchCap(int probe)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(probe, 1);
        _probe = probe;
    }

    /// <summary>The batch size to plan with: the learned cap, or the probe size before any short answer.</summary>
    public int Current
    {
        get
        {
            var learned = Volatile.Read(ref _learned);
            return learned == 0 ? _probe : learned;
        }
    }

    /// <summary>Whether a short answer has been seen.</summary>
    public bool Learned => Volatile.Read(ref _learned) != 0;

    /// <summary>Feeds one answer: <paramref name="returned"/> entries for a request of <paramref name="requested"/>.</summary>
    public void Observe(ulong requested, int returned)
    {
        if (returned <= 0 || (ulong)returned >= requested) return;
        int seen;
        do
        {
            seen = Volatile.Read(ref _learned);
            if (seen >= returned) return;
        }
        while (Interlocked.CompareExchange(ref _learned, Math.Min(returned, _probe), seen) != seen);
    }

    /// <summary>The next range [start, end) to fetch: up to the next multiple of the current cap, never past <paramref name="treeSize"/>.</summary>
    public (ulong Start, ulong End) Plan(ulong start, ulong treeSize)
    {
        if (start >= treeSize) return (start, start);
        var size = (ulong)Current;
        var end = ((start / size) + 1) * size;
        return (start, Math.Min(end, treeSize));
    }
}
