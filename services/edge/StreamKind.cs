namespace Certstream.Edge;

/// <summary>The three message variants the parser publishes and the edge serves (SPEC §2, §3).</summary>
internal enum StreamKind
{
    Full = 0,
    Lite = 1,
    Domains = 2,
}

internal static class StreamKinds
{
    /// <summary>Every kind, in index order; the hub keeps per-kind arrays indexed by <c>(int)kind</c>.</summary>
    public static readonly StreamKind[] All = [StreamKind.Full, StreamKind.Lite, StreamKind.Domains];

    /// <summary>The label used in /stats and metric tags; matches the NATS subject segment (SPEC §3).</summary>
    public static string Name(this StreamKind kind) => kind switch
    {
        StreamKind.Full => "full",
        StreamKind.Lite => "lite",
        StreamKind.Domains => "domains",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };
}
