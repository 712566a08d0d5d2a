using System.Buffers;
using System.Buffers.Text;
using System.Text.Json;

namespace Certstream.Ingestor.Rfc6962;

/// <summary>
/// A parsed <c>get-entries</c> answer (RFC 6962 §4.6): entries in index order from the requested start,
/// with no index field. Entries after the first malformed one are dropped: the caller publishes the
/// well-formed prefix and asks again from the bad index. <see cref="Suspect"/> is that bad entry when its
/// base64 decoded (a log that keeps serving it gets it published as-is, for the parser to reject visibly).
/// </summary>
/// <remarks>
/// The entries are decoded into a pooled <see cref="DecodeArena"/> rather than two arrays each: an answer of 1,024 entries
/// is held for as long as its entries wait for the publisher, long enough for per-entry arrays to be promoted and pile up
/// in the older GC generations. Dispose returns the arena; the entries must not be used after that.
/// </remarks>
internal sealed class EntriesResponse : IDisposable
{
    private readonly DecodeArena _arena;

    private EntriesResponse(DecodeArena arena, List<LogEntry> entries, string? malformedDetail, LogEntry? suspect)
    {
        _arena = arena;
        Entries = entries;
        HasMalformed = malformedDetail is not null;
        MalformedDetail = malformedDetail ?? "";
        Suspect = suspect;
    }

    public IReadOnlyList<LogEntry> Entries { get; }

    /// <summary>Memory the decoded entries hold until disposed.</summary>
    public long HeldBytes => _arena.HeldBytes;

    public bool HasMalformed { get; }

    public string MalformedDetail { get; }

    public LogEntry? Suspect { get; }

    /// <summary>Null when the body is not a JSON object with an <c>entries</c> array (the whole body must be valid JSON).</summary>
    public static EntriesResponse? TryParse(ReadOnlyMemory<byte> json) => TryParse(new ReadOnlySequence<byte>(json));

    /// <inheritdoc cref="TryParse(ReadOnlyMemory{byte})"/>
    public static EntriesResponse? TryParse(ReadOnlySequence<byte> json)
    {
        var arena = new DecodeArena();
        try
        {
            var answer = Parse(json, arena);
            if (answer is null) arena.Dispose();
            return answer;
        }
        catch (JsonException)
        {
            arena.Dispose();
            return null;
        }
    }

    public void Dispose()
    {
        _arena.Dispose();
    }

    private static EntriesResponse? Parse(ReadOnlySequence<byte> json, DecodeArena arena)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow });
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return null;
        var entries = new List<LogEntry>();
        var seenEntries = false;
        string? malformed = null;
        LogEntry? suspect = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (seenEntries || !reader.ValueTextEquals("entries"u8))
            {
                reader.Read();
                reader.Skip();
                continue;
            }
            seenEntries = true;
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartArray) return null;
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                if (malformed is not null)
                {
                    // After the first bad entry the rest is only checked to be JSON.
                    reader.Skip();
                    continue;
                }
                var problem = ReadEntry(ref reader, arena, out var entry, out var decoded);
                if (problem is null)
                {
                    entries.Add(entry);
                    continue;
                }
                malformed = $"entry {entries.Count}: {problem}";
                if (decoded) suspect = entry;
            }
        }
        // The root object must be closed and nothing may follow it (the reader throws on trailing text).
        if (reader.TokenType != JsonTokenType.EndObject || reader.Read() || !seenEntries) return null;
        return new EntriesResponse(arena, entries, malformed, suspect);
    }

    /// <summary>Reads one element of the array (the reader is on its first token) and leaves the reader on its last token.</summary>
    private static string? ReadEntry(ref Utf8JsonReader reader, DecodeArena arena, out LogEntry entry, out bool decoded)
    {
        entry = default;
        decoded = false;
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return "not an object";
        }
        ReadOnlyMemory<byte>? leafInput = null;
        // extra_data is not covered by the tree (RFC 6962 §4.6) and may legitimately be empty.
        ReadOnlyMemory<byte> extraData = ReadOnlyMemory<byte>.Empty;
        string? problem = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isLeaf = reader.ValueTextEquals("leaf_input"u8);
            var isExtra = !isLeaf && reader.ValueTextEquals("extra_data"u8);
            reader.Read();
            if (problem is not null || !(isLeaf || isExtra))
            {
                reader.Skip();
                continue;
            }
            var value = TryDecode(ref reader, arena);
            if (isLeaf)
            {
                if (value is null) problem = "leaf_input missing or not base64";
                else leafInput = value;
            }
            else
            {
                if (value is null) problem = "extra_data not base64";
                else extraData = value.Value;
            }
        }
        if (problem is not null) return problem;
        if (leafInput is not { } leaf) return "leaf_input missing or not base64";
        entry = new LogEntry(leaf, extraData);
        decoded = true;
        return LeafFraming.IsWellFormed(leaf.Span) ? null : "leaf_input is truncated or malformed";
    }

    /// <summary>The base64 string the reader is on, decoded into <paramref name="arena"/>; null if it is not a base64 string.</summary>
    private static ReadOnlyMemory<byte>? TryDecode(ref Utf8JsonReader reader, DecodeArena arena)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            reader.Skip();
            return null;
        }
        byte[]? unescaped = null;
        try
        {
            var text = reader.ValueSpan;
            if (reader.HasValueSequence || reader.ValueIsEscaped)
            {
                // Text split across body chunks, or with escapes (JSON may write '/' as "\/"; unescaping never lengthens it).
                var length = reader.HasValueSequence ? (int)reader.ValueSequence.Length : reader.ValueSpan.Length;
                unescaped = ArrayPool<byte>.Shared.Rent(length);
                text = unescaped.AsSpan(0, reader.CopyString(unescaped));
            }
            var status = Base64.DecodeFromUtf8(text, arena.Reserve(Base64.GetMaxDecodedFromUtf8Length(text.Length)), out var consumed, out var written);
            if (status != OperationStatus.Done || consumed != text.Length) return null;
            return arena.Commit(written);
        }
        finally
        {
            if (unescaped is not null) ArrayPool<byte>.Shared.Return(unescaped);
        }
    }
}
