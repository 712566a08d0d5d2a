using System.Text.Json;

namespace Certstream.Ingestor.Rfc6962;

/// <summary>A <c>get-sth-consistency</c> answer (RFC 6962 §4.4): <c>{"consistency": [base64 32-byte node, …]}</c>.</summary>
internal static class ConsistencyResponse
{
    /// <summary>The proof's nodes, or null when the body is not that shape.</summary>
    public static IReadOnlyList<byte[]>? TryParse(ReadOnlyMemory<byte> json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("consistency", out var nodes) || nodes.ValueKind != JsonValueKind.Array)
                return null;
            var proof = new List<byte[]>(nodes.GetArrayLength());
            foreach (var node in nodes.EnumerateArray())
            {
                if (node.ValueKind != JsonValueKind.String || !node.TryGetBytesFromBase64(out var hash) || hash.Length != 32) return null;
                proof.Add(hash);
            }
            return proof;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
