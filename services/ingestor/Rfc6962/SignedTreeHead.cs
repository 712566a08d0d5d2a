using System.Text.Json;

namespace Certstream.Ingestor.Rfc6962;

/// <summary>The fields of a <c>get-sth</c> answer the follower uses (RFC 6962 §4.3). The signature is not verified here.</summary>
internal readonly record struct SignedTreeHead(ulong TreeSize, ulong Timestamp, ReadOnlyMemory<byte> RootHash)
{
    public static bool TryParse(ReadOnlyMemory<byte> json, out SignedTreeHead sth)
    {
        sth = default;
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("tree_size", out var size) || !size.TryGetUInt64(out var treeSize)
                || !root.TryGetProperty("sha256_root_hash", out var hash) || hash.ValueKind != JsonValueKind.String
                || !hash.TryGetBytesFromBase64(out var rootHash) || rootHash.Length != 32)
                return false;
            var timestamp = root.TryGetProperty("timestamp", out var ts) && ts.TryGetUInt64(out var t) ? t : 0;
            sth = new SignedTreeHead(treeSize, timestamp, rootHash);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
