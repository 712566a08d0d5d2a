using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using Certstream.Contracts.MessagePack;

namespace Certstream.Contracts;

/// <summary>
/// The MessagePack form of <see cref="RawEntry"/> on <c>CT_RAW</c> (SPEC §3): one map with string keys.
/// <para>
/// Reading is forward compatible: unknown keys (string or not) are skipped whatever their value, so fields
/// can be added without a new version. <c>v</c> changes only for incompatible changes, so a message whose
/// <c>v</c> is not <see cref="RawEntry.SchemaVersion"/> is refused as <see cref="RawEntryErrorKind.UnsupportedVersion"/>
/// (reported first when <c>v</c> comes first, as this codec writes it). Every key of version 1 is required;
/// a known key given twice, or bytes after the map, make the message invalid.
/// <c>fetched_at</c> may be any integer or float (JavaScript writers encode whole numbers as integers).
/// </para>
/// </summary>
public static class RawEntryCodec
{
    /// <summary>Writes <paramref name="entry"/>; keys in SPEC order, <c>v</c> first.</summary>
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
        writer.WriteStringUtf8("v"u8);
        writer.WriteInt64(RawEntry.SchemaVersion);
        writer.WriteStringUtf8("log"u8);
        writer.WriteString(entry.Log);
        writer.WriteStringUtf8("url"u8);
        writer.WriteString(entry.Url);
        writer.WriteStringUtf8("name"u8);
        writer.WriteString(entry.Name);
        writer.WriteStringUtf8("operator"u8);
        writer.WriteString(entry.Operator);
        writer.WriteStringUtf8("type"u8);
        writer.WriteStringUtf8(typeName);
        writer.WriteStringUtf8("index"u8);
        writer.WriteUInt64(entry.Index);
        writer.WriteStringUtf8("leaf_input"u8);
        writer.WriteBinary(entry.LeafInput.Span);
        writer.WriteStringUtf8("extra_data"u8);
        writer.WriteBinary(entry.ExtraData.Span);
        writer.WriteStringUtf8("fetched_at"u8);
        writer.WriteFloat64(entry.FetchedAt);
    }

    /// <summary>
    /// Reads a message, copying <c>leaf_input</c> and <c>extra_data</c> out of it. A <c>byte[]</c> argument binds
    /// here; pass <c>array.AsMemory()</c> to share the array instead.
    /// </summary>
    public static bool TryRead(ReadOnlySpan<byte> message, [NotNullWhen(true)] out RawEntry? entry, out RawEntryError error) =>
        TryRead(message, default, alias: false, out entry, out error);

    /// <summary>
    /// Reads a message without copying: the entry's <c>leaf_input</c> and <c>extra_data</c> are slices of
    /// <paramref name="message"/>, so the caller must not reuse that memory while the entry is in use.
    /// </summary>
    public static bool TryRead(ReadOnlyMemory<byte> message, [NotNullWhen(true)] out RawEntry? entry, out RawEntryError error) =>
        TryRead(message.Span, message, alias: true, out entry, out error);

    /// <summary>
    /// Reads a message held in a sequence: without copying when it is one segment (the entry then aliases it,
    /// as with <see cref="TryRead(ReadOnlyMemory{byte}, out RawEntry?, out RawEntryError)"/>), else from one copy.
    /// </summary>
    public static bool TryRead(in ReadOnlySequence<byte> message, [NotNullWhen(true)] out RawEntry? entry, out RawEntryError error) =>
        TryRead(message.IsSingleSegment ? message.First : message.ToArray(), out entry, out error);

    private static bool TryRead(
        ReadOnlySpan<byte> message, ReadOnlyMemory<byte> source, bool alias,
        [NotNullWhen(true)] out RawEntry? entry, out RawEntryError error)
    {
        entry = null;
        var reader = new MessagePackReader(message);
        var seen = Field.None;
        var field = Field.None;
        long version = 0;
        string? log = null, url = null, name = null, logOperator = null;
        var type = LogType.Rfc6962;
        ulong index = 0;
        ReadOnlyMemory<byte> leafInput = default, extraData = default;
        double fetchedAt = 0;
        try
        {
            if (reader.NextType != MessagePackType.Map)
                return Fail(RawEntryErrorKind.Malformed, $"expected a map, found {reader.NextType}", out error);
            var count = reader.ReadMapHeader();
            for (var i = 0; i < count; i++)
            {
                field = Field.None;
                if (reader.NextType != MessagePackType.String)
                {
                    reader.Skip();
                    reader.Skip();
                    continue;
                }
                field = FieldOf(reader.ReadStringUtf8());
                if (field == Field.None)
                {
                    reader.Skip();
                    continue;
                }
                if ((seen & field) != 0)
                    return Fail(RawEntryErrorKind.InvalidField, $"key '{KeyName(field)}' appears twice", out error);
                seen |= field;
                switch (field)
                {
                    case Field.V:
                        version = reader.ReadInt64();
                        if (version != RawEntry.SchemaVersion)
                            return Fail(RawEntryErrorKind.UnsupportedVersion, $"schema version {version}, expected {RawEntry.SchemaVersion}", out error);
                        break;
                    case Field.Log:
                        log = reader.ReadString();
                        if (!LogKey.IsValid(log))
                            return Fail(RawEntryErrorKind.InvalidField, "key 'log': not a valid log key", out error);
                        break;
                    case Field.Url:
                        url = reader.ReadString();
                        break;
                    case Field.Name:
                        name = reader.ReadString();
                        break;
                    case Field.Operator:
                        logOperator = reader.ReadString();
                        break;
                    case Field.Type:
                        var typeName = reader.ReadStringUtf8();
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
                        leafInput = ReadBytes(ref reader, source, alias);
                        break;
                    case Field.ExtraData:
                        extraData = ReadBytes(ref reader, source, alias);
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
                return Fail(RawEntryErrorKind.Malformed, $"{reader.Remaining} bytes after the map", out error);
        }
        catch (MessagePackFormatException ex)
        {
            return field == Field.None
                ? Fail(RawEntryErrorKind.Malformed, ex.Message, out error)
                : Fail(RawEntryErrorKind.InvalidField, $"key '{KeyName(field)}': {ex.Message}", out error);
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

    private static ReadOnlyMemory<byte> ReadBytes(ref MessagePackReader reader, ReadOnlyMemory<byte> source, bool alias)
    {
        var bytes = reader.ReadBinary();
        return alias ? source.Slice(reader.Position - bytes.Length, bytes.Length) : bytes.ToArray();
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
