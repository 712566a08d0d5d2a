namespace Certstream.Edge;

internal static class StreamKinds
{
    /// <summary>Every kind, in index order; the hub keeps per-kind arrays indexed by <c>(int)kind</c>.</summary>
    public static IReadOnlyList<StreamKind> All { get; } = [StreamKind.Full, StreamKind.Lite, StreamKind.Domains];

    /// <summary>The label used in /stats and metric tags; matches the NATS subject segment (README "NATS subjects").</summary>
    public static string Name(this StreamKind kind) => kind switch
    {
        StreamKind.Full => "full",
        StreamKind.Lite => "lite",
        StreamKind.Domains => "domains",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };
}
