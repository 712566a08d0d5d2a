using System.Buffers.Binary;

namespace Certstream.Contracts.Ct;

/// <summary>Reads the big-endian, length-prefixed TLS presentation-language fields of RFC 6962 without throwing.</summary>
internal ref struct TlsReader
{
    private readonly ReadOnlySpan<byte> _data;
    private int _position;

    public TlsReader(ReadOnlySpan<byte> data)
    {
        _data = data;
        _position = 0;
    }

    public readonly int Position => _position;

    public readonly int Remaining => _data.Length - _position;

    public readonly ReadOnlySpan<byte> Rest => _data[_position..];

    public bool TryReadUInt8(out byte value)
    {
        if (Remaining < 1) { value = 0; return false; }
        value = _data[_position++];
        return true;
    }

    public bool TryReadUInt16(out ushort value)
    {
        if (Remaining < 2) { value = 0; return false; }
        value = BinaryPrimitives.ReadUInt16BigEndian(_data.Slice(_position, 2));
        _position += 2;
        return true;
    }

    public bool TryReadUInt24(out int value)
    {
        if (Remaining < 3) { value = 0; return false; }
        value = (_data[_position] << 16) | (_data[_position + 1] << 8) | _data[_position + 2];
        _position += 3;
        return true;
    }

    public bool TryReadUInt64(out ulong value)
    {
        if (Remaining < 8) { value = 0; return false; }
        value = BinaryPrimitives.ReadUInt64BigEndian(_data.Slice(_position, 8));
        _position += 8;
        return true;
    }

    public bool TryReadBytes(int length, out ReadOnlySpan<byte> value)
    {
        if (length < 0 || Remaining < length) { value = default; return false; }
        value = _data.Slice(_position, length);
        _position += length;
        return true;
    }

    /// <summary>opaque field&lt;0..2^16-1&gt;.</summary>
    public bool TryReadOpaque16(out ReadOnlySpan<byte> value)
    {
        var start = _position;
        if (TryReadUInt16(out var length) && TryReadBytes(length, out value))
            return true;
        _position = start;
        value = default;
        return false;
    }

    /// <summary>opaque field&lt;0..2^24-1&gt;.</summary>
    public bool TryReadOpaque24(out ReadOnlySpan<byte> value)
    {
        var start = _position;
        if (TryReadUInt24(out var length) && TryReadBytes(length, out value))
            return true;
        _position = start;
        value = default;
        return false;
    }
}
