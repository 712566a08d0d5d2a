using System.Text.Json;

namespace Certstream.Ingestor.Rfc6962;

/// <summary>
/// A parsed <c>get-entries</c> answer (ct-protocols §1.2): entries in index order from the requested start,
/// with no index field. Entries after the first malformed one are dropped: the caller publishes the
/// well-formed prefix and asks again from the bad index. <see cref="Suspect"/> is that bad entry when its
/// base64 decoded (a log that keeps serving it gets it published as-is, for the parser to reject visibly).
/// </summary>
internal sealed record EntriesResponse(IReadOnlyList<LogEntry> Entries, bool HasMalformed, string MalformedDetail, LogEntry? Suspect)
{
    /// <summary>Null when the body is not a JSON object with an <c>entries</c> array.</summary>
    public static EntriesResponse? TryParse(ReadOnlyMemory<byte> json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("entries", out var array) || array.ValueKind != JsonValueKind.Array)
                return null;
            var entries = new List<LogEntry>(array.GetArrayLength());
            foreach (var element in array.EnumerateArray())
            {
                var problem = Read(element, out var entry, out var decoded);
                if (problem is not null) return new EntriesResponse(entries, true, $"entry {entries.Count}: {problem}", decoded ? entry : null);
                entries.Add(entry);
            }
            return new EntriesResponse(entries, false, "", null);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static string? Read(JsonElement element, out LogEntry entry, out bool decoded)
    {
        entry = default;
        decoded = false;
        if (element.ValueKind != JsonValueKind.Object) return "not an object";
        if (!element.TryGetProperty("leaf_input", out var leaf) || leaf.ValueKind != JsonValueKind.String || !leaf.TryGetBytesFromBase64(out var leafInput))
            return "leaf_input missing or not base64";
        // extra_data is not covered by the tree (ct-protocols §1.5) and may legitimately be empty.
        byte[] extraData = [];
        if (element.TryGetProperty("extra_data", out var extra))
        {
            if (extra.ValueKind != JsonValueKind.String || !extra.TryGetBytesFromBase64(out extraData!)) return "extra_data not base64";
        }
        entry = new LogEntry(leafInput, extraData);
        decoded = true;
        return LeafFraming.IsWellFormed(leafInput) ? null : "leaf_input is truncated or malformed";
    }
}
