using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Text;
using MessagePack;

namespace Certstream.Contracts;

/// <summary>
/// The MessagePack form of <see cref="RawEntry"/> on <c>CT_RAW</c> (README "NATS subjects"): one map with string keys,
/// written and read with MessagePack-CSharp's <see cref="MessagePackWriter"/> and <see cref="MessagePackReader"/>.
/// <para>
/// Not its attribute serializer: that one accepts a missing key, a repeated key and bytes after the map, and copies the
/// binary fields. Reading here is strict and forward compatible: unknown keys (string or not) are skipped whatever their
/// value (nested at most <see cref="MaxDepth"/> deep), so fields can be added without a new version. <c>v</c> changes only
/// for incompatible changes, so a message whose <c>v</c> is not <see cref="RawEntry.SchemaVersion"/> is refused as
/// <see cref="RawEntryErrorKind.UnsupportedVersion"/> (reported first when <c>v</c> comes first, as this codec writes it).
/// Every key of version 1 is required; a known key given twice, or bytes after the map, make the message invalid.
/// Strings must be valid UTF-8. <c>fetched_at</c> may be any integer or float (JavaScript writers encode whole numbers
/// as integers).
/// </para>
/// </summary>
public static class RawEntryCodec
{
    /// <summary>The most containers an unknown key's value may nest; deeper input is malformed (and cannot exhaust the stack).</summary>
    public const int MaxDepth = 64;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    /// <summary>Writes <paramref name="entry"/>; keys in contract order, <c>v</c> first, every value in its smallest form.</summary>
    /// <exception cref="ArgumentException"><see cref="RawEntry.Log"/> is not a valid log key, or the type is undefined.</exception>
    public static void Write(IBufferWriter<byte> output, RawEntry entry)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(entry);
        if (!LogKey.IsValid(entry.Log))
            throw new ArgumentException($"'{entry.Log}' is not a log key (see LogKey.FromUrl)", nameof(entry));
        var typeName = TypeName(entry.Type);

        var writer = new MessagePackWriter(output);
        writer.WriteMapHeader(10);
        writer.WriteString("v"u8);
        writer.Write((long)RawEntry.SchemaVersion);
        writer.WriteString("log"u8);
        writer.Write(entry.Log);
        writer.WriteString("url"u8);
        writer.Write(entry.Url);
        writer.WriteString("name"u8);
        writer.Write(entry.Name);
        writer.WriteString("operator"u8);
        writer.Write(entry.Operator);
        writer.WriteString("type"u8);
        writer.WriteString(typeName);
        writer.WriteString("index"u8);
        writer.Write(entry.Index);
        writer.WriteString("leaf_input"u8);
        writer.Write(entry.LeafInput.Span);
        writer.WriteString("extra_data"u8);
        writer.Write(entry.ExtraData.Span);
        writer.WriteString("fetched_at"u8);
        writer.Write(entry.FetchedAt);
        writer.Flush();
    }

    /// <summary>
    /// Reads a message, copying it first: the entry's <c>leaf_input</c> and <c>extra_data</c> do not refer to
    /// <paramref name="message"/>. A <c>byte[]</c> argument binds here; pass <c>array.AsMemory()</c> to share the array instead.
    /// </summary>
    public static bool TryRead(ReadOnlySpan<byte> message, [NotNullWhen(true)] out RawEntry? entry, out RawEntryError error) =>
        TryRead(message.ToArray().AsMemory(), out entry, out error);

    /// <summary>
    /// Reads a message without copying: the entry's <c>leaf_input</c> and <c>extra_data</c> are slices of
    /// <paramref name="message"/>, so the caller must not reuse that memory while the entry is in use.
    /// </summary>
    public static bool TryRead(ReadOnlyMemory<byte> message, [NotNullWhen(true)] out RawEntry? entry, out RawEntryError error)
    {
        var reader = new MessagePackReader(message);
        return TryRead(ref reader, message, out entry, out error);
    }

    /// <summary>
    /// Reads a message held in a sequence: without copying when it is one segment (the entry then aliases it,
    /// as with <see cref="TryRead(ReadOnlyMemory{byte}, out RawEntry?, out RawEntryError)"/>), else from one copy.
    /// </summary>
    public static bool TryRead(in ReadOnlySequence<byte> message, [NotNullWhen(true)] out RawEntry? entry, out RawEntryError error) =>
        TryRead(message.IsSingleSegment ? message.First : message.ToArray(), out entry, out error);

    private static bool TryRead(ref MessagePackReader reader, ReadOnlyMemory<byte> source, [NotNullWhen(true)] out RawEntry? entry, out RawEntryError error)
    {
        entry = null;
        var seen = Field.None;
        var field = Field.None;
        string? log = null, url = null, name = null, logOperator = null;
        var type = LogType.Rfc6962;
        ulong index = 0;
        ReadOnlyMemory<byte> leafInput = default, extraData = default;
        double fetchedAt = 0;
        try
        {
            if (reader.NextMessagePackType != MessagePackType.Map)
                return Fail(RawEntryErrorKind.Malformed, $"expected a map, found {reader.NextMessagePackType} (0x{reader.NextCode:x2})", out error);
            var count = reader.ReadMapHeader();
            for (var i = 0; i < count; i++)
            {
                field = Field.None;
                if (reader.NextMessagePackType != MessagePackType.String)
                {
                    SkipValue(ref reader);
                    SkipValue(ref reader);
                    continue;
                }
                field = FieldOf(Utf8(ref reader));
                if (field == Field.None)
                {
                    SkipValue(ref reader);
                    continue;
                }
                if ((seen & field) != 0)
                    return Fail(RawEntryErrorKind.InvalidField, $"key '{KeyName(field)}' appears twice", out error);
                seen |= field;
                switch (field)
                {
                    case Field.V:
                        var version = reader.ReadInt64();
                        if (version != RawEntry.SchemaVersion)
                            return Fail(RawEntryErrorKind.UnsupportedVersion, $"schema version {version}, expected {RawEntry.SchemaVersion}", out error);
                        break;
                    case Field.Log:
                        log = Text(ref reader);
                        if (!LogKey.IsValid(log))
                            return Fail(RawEntryErrorKind.InvalidField, "key 'log': not a valid log key", out error);
                        break;
                    case Field.Url:
                        url = Text(ref reader);
                        break;
                    case Field.Name:
                        name = Text(ref reader);
                        break;
                    case Field.Operator:
                        logOperator = Text(ref reader);
                        break;
                    case Field.Type:
                        var typeName = Utf8(ref reader);
                        if (typeName.SequenceEqual("rfc6962"u8))
                            type = LogType.Rfc6962;
                        else if (typeName.SequenceEqual("tiled"u8))
                            type = LogType.Tiled;
                        else
                            return Fail(RawEntryErrorKind.InvalidField, "key 'type': neither 'rfc6962' nor 'tiled'", out error);
                        break;
                    case Field.Index:
                        index = reader.ReadUInt64();
                        break;
                    case Field.LeafInput:
                        leafInput = Bytes(ref reader, source);
                        break;
                    case Field.ExtraData:
                        extraData = Bytes(ref reader, source);
                        break;
                    case Field.FetchedAt:
                        fetchedAt = reader.ReadDouble();
                        if (!double.IsFinite(fetchedAt))
                            return Fail(RawEntryErrorKind.InvalidField, "key 'fetched_at': not a finite number", out error);
                        break;
                }
            }
            field = Field.None;
            if (!reader.End)
                return Fail(RawEntryErrorKind.Malformed, $"{source.Length - reader.Consumed} bytes after the map", out error);
        }
        // What MessagePack-CSharp's reader throws for bad input (a length past the end surfaces as ArgumentOutOfRangeException),
        // and DecoderFallbackException (an ArgumentException) for invalid UTF-8.
        catch (Exception ex) when (ex is MessagePackSerializationException or EndOfStreamException or OverflowException or ArgumentException)
        {
            var what = ex is EndOfStreamException ? "the message ends inside a value" : ex.Message;
            return field == Field.None
                ? Fail(RawEntryErrorKind.Malformed, what, out error)
                : Fail(RawEntryErrorKind.InvalidField, $"key '{KeyName(field)}': {what}", out error);
        }

        if ((seen & Field.V) == 0)
            return Fail(RawEntryErrorKind.MissingField, "key 'v' is missing", out error);
        var missing = Field.All & ~seen;
        if (missing != 0)
        {
            var first = (Field)((int)missing & -(int)missing);
            return Fail(RawEntryErrorKind.MissingField, $"key '{KeyName(first)}' is missing", out error);
        }

        entry = new RawEntry
        {
            Log = log!,
            Url = url!,
            Name = name!,
            Operator = logOperator!,
            Type = type,
            Index = index,
            LeafInput = leafInput,
            ExtraData = extraData,
            FetchedAt = fetchedAt,
        };
        error = default;
        return true;
    }

    /// <summary>A str value's bytes; anything else throws. The reader always runs over one segment, so the span is contiguous.</summary>
    private static ReadOnlySpan<byte> Utf8(ref MessagePackReader reader)
    {
        if (reader.NextMessagePackType != MessagePackType.String)
            throw new MessagePackSerializationException($"expected a string, found {reader.NextMessagePackType}");
        return reader.TryReadStringSpan(out var span) ? span : reader.ReadStringSequence()!.Value.ToArray();
    }

    /// <summary>A str value as text; invalid UTF-8 is refused rather than replaced.</summary>
    private static string Text(ref MessagePackReader reader) => StrictUtf8.GetString(Utf8(ref reader));

    /// <summary>A bin value as a slice of <paramref name="source"/> (the reader's single segment); nil or another type throws.</summary>
    private static ReadOnlyMemory<byte> Bytes(ref MessagePackReader reader, ReadOnlyMemory<byte> source)
    {
        if (reader.NextMessagePackType != MessagePackType.Binary)
            throw new MessagePackSerializationException($"expected binary data, found {reader.NextMessagePackType}");
        var bytes = reader.ReadBytes()!.Value;
        return source.Slice((int)(reader.Consumed - bytes.Length), (int)bytes.Length);
    }

    /// <summary>Skips one value of any kind without recursion: MessagePack's own Skip recurses once per nesting level.</summary>
    private static void SkipValue(ref MessagePackReader reader)
    {
        Span<long> left = stackalloc long[MaxDepth + 1];
        var depth = 0;
        left[0] = 1;
        while (depth >= 0)
        {
            if (left[depth] == 0)
            {
                depth--;
                continue;
            }
            left[depth]--;
            long children = reader.NextMessagePackType switch
            {
                MessagePackType.Map => 2L * reader.ReadMapHeader(),
                MessagePackType.Array => reader.ReadArrayHeader(),
                _ => Scalar(ref reader),
            };
            if (children == 0)
                continue;
            if (depth == MaxDepth)
                throw new MessagePackSerializationException($"values nested more than {MaxDepth} containers deep");
            left[++depth] = children;
        }

        static long Scalar(ref MessagePackReader reader)
        {
            reader.Skip();
            return 0;
        }
    }

    private static bool Fail(RawEntryErrorKind kind, string message, out RawEntryError error)
    {
        error = new RawEntryError(kind, message);
        return false;
    }

    private static ReadOnlySpan<byte> TypeName(LogType type) => type switch
    {
        LogType.Rfc6962 => "rfc6962"u8,
        LogType.Tiled => "tiled"u8,
        _ => throw new ArgumentException($"undefined log type {type}", nameof(type)),
    };

    private static Field FieldOf(ReadOnlySpan<byte> key)
    {
        if (key.SequenceEqual("v"u8)) return Field.V;
        if (key.SequenceEqual("log"u8)) return Field.Log;
        if (key.SequenceEqual("url"u8)) return Field.Url;
        if (key.SequenceEqual("name"u8)) return Field.Name;
        if (key.SequenceEqual("operator"u8)) return Field.Operator;
        if (key.SequenceEqual("type"u8)) return Field.Type;
        if (key.SequenceEqual("index"u8)) return Field.Index;
        if (key.SequenceEqual("leaf_input"u8)) return Field.LeafInput;
        if (key.SequenceEqual("extra_data"u8)) return Field.ExtraData;
        if (key.SequenceEqual("fetched_at"u8)) return Field.FetchedAt;
        return Field.None;
    }

    private static string KeyName(Field field) => field switch
    {
        Field.V => "v",
        Field.Log => "log",
        Field.Url => "url",
        Field.Name => "name",
        Field.Operator => "operator",
        Field.Type => "type",
        Field.Index => "index",
        Field.LeafInput => "leaf_input",
        Field.ExtraData => "extra_data",
        Field.FetchedAt => "fetched_at",
        _ => field.ToString(),
    };

    [Flags]
    private enum Field
    {
        None = 0,
        V = 1,
        Log = 1 << 1,
        Url = 1 << 2,
        Name = 1 << 3,
        Operator = 1 << 4,
        Type = 1 << 5,
        Index = 1 << 6,
        LeafInput = 1 << 7,
        ExtraData = 1 << 8,
        FetchedAt = 1 << 9,
        All = (1 << 10) - 1,
    }
}
