using Certstream.Contracts;

namespace Certstream.Parser.Tests;

/// <summary>RawEntry values for the writer, from a log's URL, name and operator (the key follows from the URL).</summary>
internal static class TestEntries
{
    public static RawEntry Raw(string url, string name, string logOperator, LogType type, ulong index,
        ReadOnlyMemory<byte> leafInput, ReadOnlyMemory<byte> extraData, double fetchedAt) => new()
    {
        Log = LogKey.FromUrl(url),
        Url = url,
        Name = name,
        Operator = logOperator,
        Type = type,
        Index = index,
        LeafInput = leafInput,
        ExtraData = extraData,
        FetchedAt = fetchedAt,
    };
}
