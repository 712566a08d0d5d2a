using System.Text.Json;

namespace Certstream.Ingestor.Rfc6962;

/// <summary>
/// The fields of a <c>get-sth</c> answer (RFC 6962 §4.3); <see cref="Signature"/> is the <c>tree_head_signature</c> (TLS DigitallySigned,
/// empty when missing or not base64). The signature is not verified here (<see cref="Verification.TreeHeadVerifier"/> does).
/// </summary>
internal readonly record struct SignedTreeHead(ulong TreeSize, ulong Timestamp, ReadOnlyMemory<byte> RootHash, ReadOnlyMemory<byte> Signature = default)
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
            var signature = root.TryGetProperty("tree_head_signature", out var sig) && sig.ValueKind == JsonValueKind.String
                && sig.TryGetBytesFromBase64(out var signed) ? signed : [];
            sth = new SignedTreeHead(treeSize, timestamp, rootHash, signature);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
