namespace Certstream.Ingestor.Tests.Support;

internal enum FaultKind
{
    Status,
    TruncatedJson,
    Garbage,
    MalformedEntry,
    Short,
    /// <summary>Answer only after the client's timeout.</summary>
    Stall,
}

/// <summary>One scripted misbehaviour of a fake log, served instead of (or shaping) the next answer.</summary>
internal sealed record Fault(FaultKind Kind, int StatusCode = 200, string? RetryAfter = null, int Count = 0)
{
    public static Fault Http(int status, string? retryAfter = null) => new(FaultKind.Status, status, retryAfter);

    public static Fault ShortAnswer(int count) => new(FaultKind.Short, Count: count);

    public override string ToString() => Kind == FaultKind.Status ? $"HTTP {StatusCode}{(RetryAfter is null ? "" : " Retry-After " + RetryAfter)}" : Kind.ToString();
}
