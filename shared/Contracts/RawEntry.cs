namespace Certstream.Contracts;

/// <summary>
/// One CT log entry as the ingestor publishes it on <c>ct.raw.&lt;log&gt;</c> (README "NATS subjects"), in RFC 6962 form
/// whatever the log's API. Equality compares the bytes of <see cref="LeafInput"/> and <see cref="ExtraData"/>.
/// </summary>
public sealed record RawEntry
{
    /// <summary>The schema version this library writes and reads.</summary>
    public const int SchemaVersion = 1;

    /// <summary><c>v</c>: always <see cref="SchemaVersion"/>; readers reject any other version.</summary>
    public int V { get; } = SchemaVersion;

    /// <summary><c>log</c>: the log's subject token, <see cref="LogKey.FromUrl"/>.</summary>
    public required string Log { get; init; }

    /// <summary><c>url</c>: the log's URL as in the log list.</summary>
    public required string Url { get; init; }

    /// <summary><c>name</c>: the log's description from the log list.</summary>
    public required string Name { get; init; }

    /// <summary><c>operator</c>: the log operator's name.</summary>
    public required string Operator { get; init; }

    /// <summary><c>type</c>.</summary>
    public required LogType Type { get; init; }

    /// <summary><c>index</c>: the entry's position in the log.</summary>
    public required ulong Index { get; init; }

    /// <summary><c>leaf_input</c>: the MerkleTreeLeaf (RFC 6962 §3.4).</summary>
    public required ReadOnlyMemory<byte> LeafInput { get; init; }

    /// <summary><c>extra_data</c>: certificate_chain or PrecertChainEntry (RFC 6962 §4.6).</summary>
    public required ReadOnlyMemory<byte> ExtraData { get; init; }

    /// <summary><c>fetched_at</c>: when the ingestor fetched the entry, Unix seconds.</summary>
    public required double FetchedAt { get; init; }

    public bool Equals(RawEntry? other) =>
        other is not null
        && Log == other.Log
        && Url == other.Url
        && Name == other.Name
        && Operator == other.Operator
        && Type == other.Type
        && Index == other.Index
        && LeafInput.Span.SequenceEqual(other.LeafInput.Span)
        && ExtraData.Span.SequenceEqual(other.ExtraData.Span)
        && FetchedAt.Equals(other.FetchedAt);

    public override int GetHashCode() => HashCode.Combine(Log, Index, LeafInput.Length);
}
