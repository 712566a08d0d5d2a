namespace Certstream.CtLogSim.Logs;

/// <summary>Draws the fault for each request of one log and counts what it did.</summary>
internal sealed class FaultInjector(FaultOptions options, ulong seed)
{
    private readonly Lock _lock = new();
    private readonly Random _random = new((int)(seed ^ (seed >> 32)));
    private readonly long[] _counts = new long[Enum.GetValues<FaultKind>().Length];
    private FaultOptions _options = options;
    private long _requests;

    public FaultOptions Options
    {
        get { lock (_lock) return _options; }
        set
        {
            if (value.Total > 1) throw new ArgumentException("fault rates add up to more than 1", nameof(value));
            lock (_lock) _options = value;
        }
    }

    /// <summary>Picks a fault; kinds that make no sense for the endpoint become <see cref="FaultKind.None"/>.</summary>
    public (FaultKind Kind, FaultOptions Options) Next(bool allowTruncation, bool allowGarbage)
    {
        FaultOptions o;
        double u;
        lock (_lock)
        {
            o = _options;
            u = _random.NextDouble();
        }
        var kind = Pick(o, u);
        if ((kind == FaultKind.Truncated && !allowTruncation) || (kind == FaultKind.Garbage && !allowGarbage)) kind = FaultKind.None;
        Interlocked.Increment(ref _requests);
        Interlocked.Increment(ref _counts[(int)kind]);
        return (kind, o);
    }

    public int NextInt(int max)
    {
        lock (_lock) return _random.Next(max);
    }

    public long Requests => Interlocked.Read(ref _requests);

    public IReadOnlyDictionary<FaultKind, long> Counts =>
        Enum.GetValues<FaultKind>().ToDictionary(k => k, k => Interlocked.Read(ref _counts[(int)k]));

    private static FaultKind Pick(FaultOptions o, double u)
    {
        ReadOnlySpan<(FaultKind, double)> table =
        [
            (FaultKind.RateLimited, o.RateLimited), (FaultKind.RateLimitedWithoutRetryAfter, o.RateLimitedWithoutRetryAfter),
            (FaultKind.ServerError, o.ServerError), (FaultKind.Unavailable, o.Unavailable), (FaultKind.Slow, o.Slow),
            (FaultKind.Truncated, o.Truncated), (FaultKind.Dropped, o.Dropped), (FaultKind.Garbage, o.Garbage),
        ];
        foreach (var (kind, rate) in table)
        {
            if (u < rate) return kind;
            u -= rate;
        }
        return FaultKind.None;
    }
}
