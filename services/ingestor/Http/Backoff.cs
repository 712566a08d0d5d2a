namespace Certstream.Ingestor.Http;

/// <summary>
/// Exponential backoff with jitter (docs/ingest.md "Design choices" 3): attempt n waits a random time in
/// [c/2, c] where c = min(max, min·2^(n−1)); a server's Retry-After is honoured as a lower bound, capped at
/// <see cref="MaxRetryAfter"/> so a bogus header cannot park a log for days.
/// </summary>
internal sealed class Backoff
{
    public static readonly TimeSpan MaxRetryAfter = TimeSpan.FromMinutes(10);
    private readonly TimeSpan _min;
    private readonly TimeSpan _max;
    private readonly Random _random;

    public Backoff(TimeSpan min, TimeSpan max, Random? random = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(min, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(max, min);
        _min = min;
        _max = max;
        _random = random ?? Random.Shared;
    }

    /// <summary>The ceiling for attempt <paramref name="attempt"/> (1-based) before jitter.</summary>
    public TimeSpan Ceiling(int attempt)
    {
        var exponent = Math.Clamp(attempt - 1, 0, 30);
        var ticks = _min.Ticks * Math.Pow(2, exponent);
        return ticks >= _max.Ticks ? _max : TimeSpan.FromTicks((long)ticks);
    }

    public TimeSpan Delay(int attempt, TimeSpan? retryAfter = null)
    {
        var ceiling = Ceiling(attempt);
#pragma warning disable CA5394 // Jitter spreads retries; it is not a security decision.
        var jittered = TimeSpan.FromTicks((long)(ceiling.Ticks * (0.5 + (0.5 * _random.NextDouble()))));
#pragma warning restore CA5394
        if (retryAfter is { } asked)
        {
            var honoured = asked > MaxRetryAfter ? MaxRetryAfter : asked;
            if (honoured > jittered) return honoured;
        }
        return jittered;
    }
}
