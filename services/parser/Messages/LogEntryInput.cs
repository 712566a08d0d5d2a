namespace Certstream.Parser.Messages;

/// <summary>
/// One log entry in RFC 6962 form, as a RawEntry carries it (SPEC §3): tiled entries arrive converted
/// (MerkleTreeLeaf leaf_input; extra_data = certificate_chain or PrecertChainEntry).
/// </summary>
/// <param name="LogUrl">The log's URL as in the log list (RFC 6962 url or tiled monitoring prefix).</param>
/// <param name="LogName">The log's description.</param>
/// <param name="FetchedAt">Unix seconds; shown as <c>seen</c> with millisecond precision.</param>
public readonly record struct LogEntryInput(
    string LogUrl,
    string LogName,
    string Operator,
    LogType Type,
    ulong Index,
    ReadOnlyMemory<byte> LeafInput,
    ReadOnlyMemory<byte> ExtraData,
    double FetchedAt);
