using System.Buffers.Binary;
using System.Text;
using System.Text.Unicode;

namespace Certstream.Contracts.MessagePack;

/// <summary>
/// Reads MessagePack values from a span, front to back, without allocating (except <see cref="ReadString"/>).
/// Bad input of any kind throws <see cref="MessagePackFormatException"/> and nothing else; lengths and counts
/// are checked against the bytes left before use, so a hostile header cannot cause a large allocation or a
/// long loop. After an exception the reader's position is unspecified.
/// </summary>
public ref struct MessagePackReader
{
    /// <summary>The most containers <see cref="Skip"/> accepts open at once; deeper input is rejected.</summary>
    public const int MaxDepth = 64;

    private readonly ReadOnlySpan<byte> _buffer;
    private int _position;

    public MessagePackReader(ReadOnlySpan<byte> buffer)
    {
        _buffer = buffer;
        _position = 0;
    }

    /// <summary>Bytes consumed so far.</summary>
    public readonly int Position => _position;

    /// <summary>Bytes not consumed yet.</summary>
    public readonly int Remaining => _buffer.Length - _position;

    /// <summary>True when every byte has been consumed.</summary>
    public readonly bool End => _position >= _buffer.Length;

    /// <summary>The type of the next value, without consuming it.</summary>
    public readonly MessagePackType NextType
    {
        get
        {
            var code = PeekCode();
            return code switch
            {
                <= MessagePackCode.MaxPositiveFixInt => MessagePackType.Integer,
                <= MessagePackCode.MaxFixMap => MessagePackType.Map,
                <= MessagePackCode.MaxFixArray => MessagePackType.Array,
                <= MessagePackCode.MaxFixStr => MessagePackType.String,
                MessagePackCode.Nil => MessagePackType.Nil,
                MessagePackCode.False or MessagePackCode.True => MessagePackType.Boolean,
                >= MessagePackCode.Bin8 and <= MessagePackCode.Bin32 => MessagePackType.Binary,
                >= MessagePackCode.Ext8 and <= MessagePackCode.Ext32 => MessagePackType.Extension,
                MessagePackCode.Float32 or MessagePackCode.Float64 => MessagePackType.Float,
                >= MessagePackCode.UInt8 and <= MessagePackCode.Int64 => MessagePackType.Integer,
                >= MessagePackCode.FixExt1 and <= MessagePackCode.FixExt16 => MessagePackType.Extension,
                >= MessagePackCode.Str8 and <= MessagePackCode.Str32 => MessagePackType.String,
                MessagePackCode.Array16 or MessagePackCode.Array32 => MessagePackType.Array,
                MessagePackCode.Map16 or MessagePackCode.Map32 => MessagePackType.Map,
                >= MessagePackCode.MinNegativeFixInt => MessagePackType.Integer,
                _ => throw Error("the byte 0xc1 is never used in MessagePack"),
            };
        }
    }

    /// <summary>Consumes a nil if one is next.</summary>
    public bool TryReadNil()
    {
        if (PeekCode() != MessagePackCode.Nil)
            return false;
        _position++;
        return true;
    }

    public void ReadNil()
    {
        if (!TryReadNil())
            throw Unexpected("nil");
    }

    public bool ReadBoolean()
    {
        switch (PeekCode())
        {
            case MessagePackCode.True:
                _position++;
                return true;
            case MessagePackCode.False:
                _position++;
                return false;
            default:
                throw Unexpected("boolean");
        }
    }

    /// <summary>Reads any integer encoding whose value fits in <see cref="long"/>.</summary>
    public long ReadInt64()
    {
        var code = PeekCode();
        if (code <= MessagePackCode.MaxPositiveFixInt)
        {
            _position++;
            return code;
        }
        if (code >= MessagePackCode.MinNegativeFixInt)
        {
            _position++;
            return (sbyte)code;
        }
        var start = _position;
        switch (code)
        {
            case MessagePackCode.UInt8: return TakeAfterCode(1)[0];
            case MessagePackCode.UInt16: return BinaryPrimitives.ReadUInt16BigEndian(TakeAfterCode(2));
            case MessagePackCode.UInt32: return BinaryPrimitives.ReadUInt32BigEndian(TakeAfterCode(4));
            case MessagePackCode.UInt64:
                var value = BinaryPrimitives.ReadUInt64BigEndian(TakeAfterCode(8));
                return value <= long.MaxValue ? (long)value : throw Error("integer does not fit in Int64", start);
            case MessagePackCode.Int8: return (sbyte)TakeAfterCode(1)[0];
            case MessagePackCode.Int16: return BinaryPrimitives.ReadInt16BigEndian(TakeAfterCode(2));
            case MessagePackCode.Int32: return BinaryPrimitives.ReadInt32BigEndian(TakeAfterCode(4));
            case MessagePackCode.Int64: return BinaryPrimitives.ReadInt64BigEndian(TakeAfterCode(8));
            default: throw Unexpected("integer");
        }
    }

    /// <summary>Reads any integer encoding whose value is not negative (signed encodings included).</summary>
    public ulong ReadUInt64()
    {
        var code = PeekCode();
        var start = _position;
        switch (code)
        {
            case <= MessagePackCode.MaxPositiveFixInt:
                _position++;
                return code;
            case MessagePackCode.UInt8: return TakeAfterCode(1)[0];
            case MessagePackCode.UInt16: return BinaryPrimitives.ReadUInt16BigEndian(TakeAfterCode(2));
            case MessagePackCode.UInt32: return BinaryPrimitives.ReadUInt32BigEndian(TakeAfterCode(4));
            case MessagePackCode.UInt64: return BinaryPrimitives.ReadUInt64BigEndian(TakeAfterCode(8));
            case MessagePackCode.Int8 or MessagePackCode.Int16 or MessagePackCode.Int32 or MessagePackCode.Int64
                or >= MessagePackCode.MinNegativeFixInt:
                var value = ReadInt64();
                return value >= 0 ? (ulong)value : throw Error("negative integer where an unsigned one was expected", start);
            default:
                throw Unexpected("integer");
        }
    }

    /// <summary>Reads any integer encoding whose value fits in <see cref="int"/>.</summary>
    public int ReadInt32()
    {
        var start = _position;
        var value = ReadInt64();
        return value is >= int.MinValue and <= int.MaxValue ? (int)value : throw Error("integer does not fit in Int32", start);
    }

    /// <summary>
    /// Reads float64, float32 or any integer as a double: writers such as JavaScript's encode a whole-valued
    /// number as an integer, so a float field may arrive in either form.
    /// </summary>
    public double ReadDouble()
    {
        switch (PeekCode())
        {
            case MessagePackCode.Float64:
                return BinaryPrimitives.ReadDoubleBigEndian(TakeAfterCode(8));
            case MessagePackCode.Float32:
                return BinaryPrimitives.ReadSingleBigEndian(TakeAfterCode(4));
            case MessagePackCode.UInt64:
                return ReadUInt64();
            default:
                if (NextType != MessagePackType.Integer)
                    throw Unexpected("number");
                return ReadInt64();
        }
    }

    /// <summary>Reads a str value's bytes as they are (UTF-8 by the spec, not checked here).</summary>
    public ReadOnlySpan<byte> ReadStringUtf8()
    {
        var code = PeekCode();
        int length;
        if (code is >= MessagePackCode.MinFixStr and <= MessagePackCode.MaxFixStr)
        {
            _position++;
            length = code & 0x1f;
        }
        else
        {
            length = code switch
            {
                MessagePackCode.Str8 => TakeAfterCode(1)[0],
                MessagePackCode.Str16 => BinaryPrimitives.ReadUInt16BigEndian(TakeAfterCode(2)),
                MessagePackCode.Str32 => ToLength(BinaryPrimitives.ReadUInt32BigEndian(TakeAfterCode(4))),
                _ => throw Unexpected("string"),
            };
        }
        return Take(length);
    }

    /// <summary>Reads a str value; invalid UTF-8 is malformed input.</summary>
    public string ReadString()
    {
        var start = _position;
        var utf8 = ReadStringUtf8();
        if (!Utf8.IsValid(utf8))
            throw Error("string is not valid UTF-8", start);
        return Encoding.UTF8.GetString(utf8);
    }

    /// <summary>Reads a bin value; the span points into the input.</summary>
    public ReadOnlySpan<byte> ReadBinary()
    {
        var length = PeekCode() switch
        {
            MessagePackCode.Bin8 => TakeAfterCode(1)[0],
            MessagePackCode.Bin16 => BinaryPrimitives.ReadUInt16BigEndian(TakeAfterCode(2)),
            MessagePackCode.Bin32 => ToLength(BinaryPrimitives.ReadUInt32BigEndian(TakeAfterCode(4))),
            _ => throw Unexpected("binary"),
        };
        return Take(length);
    }

    /// <summary>Reads a map header: the number of key/value pairs that follow.</summary>
    public int ReadMapHeader()
    {
        var start = _position;
        var count = ReadCollectionHeader(MessagePackCode.MinFixMap, MessagePackCode.MaxFixMap, MessagePackCode.Map16, MessagePackCode.Map32, "map");
        // Every key and every value takes at least one byte.
        return count * 2 <= Remaining ? (int)count : throw Error("map header counts more entries than bytes left", start);
    }

    /// <summary>Reads an array header: the number of values that follow.</summary>
    public int ReadArrayHeader()
    {
        var start = _position;
        var count = ReadCollectionHeader(MessagePackCode.MinFixArray, MessagePackCode.MaxFixArray, MessagePackCode.Array16, MessagePackCode.Array32, "array");
        return count <= Remaining ? (int)count : throw Error("array header counts more values than bytes left", start);
    }

    // The map and array families share one layout: a fix range holding the count in its low nibble, then 16- and 32-bit counts.
    private long ReadCollectionHeader(byte minFix, byte maxFix, byte code16, byte code32, string expected)
    {
        var code = PeekCode();
        if (code >= minFix && code <= maxFix)
        {
            _position++;
            return code & 0x0f;
        }
        if (code == code16) return BinaryPrimitives.ReadUInt16BigEndian(TakeAfterCode(2));
        if (code == code32) return BinaryPrimitives.ReadUInt32BigEndian(TakeAfterCode(4));
        throw Unexpected(expected);
    }

    /// <summary>
    /// Skips the next value whatever it is, containers with everything inside them included.
    /// Iterative (a small stack of counts), so input nesting cannot exhaust the thread's stack.
    /// </summary>
    public void Skip()
    {
        Span<long> remaining = stackalloc long[MaxDepth];
        var depth = 0;
        while (true)
        {
            var start = _position;
            var children = SkipHeaderOrScalar();
            if (children > 0)
            {
                if (depth == MaxDepth)
                    throw Error($"values nested more than {MaxDepth} containers deep", start);
                remaining[depth++] = children;
                continue;
            }
            // One value is complete; it may complete its container, and that one its own, and so on.
            while (true)
            {
                if (depth == 0)
                    return;
                if (--remaining[depth - 1] > 0)
                    break;
                depth--;
            }
        }
    }

    /// <summary>Consumes a scalar whole, or a container's header; returns the number of values inside.</summary>
    private long SkipHeaderOrScalar()
    {
        var code = PeekCode();
        switch (NextType)
        {
            case MessagePackType.Map:
                return ReadMapHeader() * 2L;
            case MessagePackType.Array:
                return ReadArrayHeader();
            case MessagePackType.String:
                ReadStringUtf8();
                return 0;
            case MessagePackType.Binary:
                ReadBinary();
                return 0;
        }
        var length = code switch
        {
            <= MessagePackCode.MaxPositiveFixInt or >= MessagePackCode.MinNegativeFixInt => 0,
            MessagePackCode.Nil or MessagePackCode.False or MessagePackCode.True => 0,
            MessagePackCode.UInt8 or MessagePackCode.Int8 => 1,
            MessagePackCode.UInt16 or MessagePackCode.Int16 => 2,
            MessagePackCode.UInt32 or MessagePackCode.Int32 or MessagePackCode.Float32 => 4,
            MessagePackCode.UInt64 or MessagePackCode.Int64 or MessagePackCode.Float64 => 8,
            // fixext: a type byte and 1, 2, 4, 8 or 16 data bytes.
            MessagePackCode.FixExt1 => 2,
            MessagePackCode.FixExt2 => 3,
            MessagePackCode.FixExt4 => 5,
            MessagePackCode.FixExt8 => 9,
            MessagePackCode.FixExt16 => 17,
            // ext 8/16/32: a length, then a type byte, then the data.
            MessagePackCode.Ext8 => TakeAfterCode(1)[0] + 1,
            MessagePackCode.Ext16 => BinaryPrimitives.ReadUInt16BigEndian(TakeAfterCode(2)) + 1,
            MessagePackCode.Ext32 => ToLength(BinaryPrimitives.ReadUInt32BigEndian(TakeAfterCode(4)), extra: 1),
            _ => throw Unexpected("value"),
        };
        if (code is not (MessagePackCode.Ext8 or MessagePackCode.Ext16 or MessagePackCode.Ext32))
            length++; // the code byte itself
        Take(length);
        return 0;
    }

    private readonly byte PeekCode()
    {
        if (_position >= _buffer.Length)
            throw Error("unexpected end of input");
        return _buffer[_position];
    }

    /// <summary>Consumes the code byte and the <paramref name="count"/> bytes after it; returns the latter.</summary>
    private ReadOnlySpan<byte> TakeAfterCode(int count) => Take(count + 1)[1..];

    private ReadOnlySpan<byte> Take(int count)
    {
        if ((uint)count > (uint)(_buffer.Length - _position))
            throw Error("unexpected end of input");
        var span = _buffer.Slice(_position, count);
        _position += count;
        return span;
    }

    private readonly int ToLength(uint length, int extra = 0) =>
        (long)length + extra <= Remaining ? (int)length + extra : throw Error("unexpected end of input");

    private readonly MessagePackFormatException Unexpected(string expected) =>
        Error($"expected {expected}, found code 0x{PeekCode():x2}");

    private readonly MessagePackFormatException Error(string message, int? offset = null) =>
        new(message, offset ?? _position);
}
