using System.Buffers.Binary;

namespace Certstream.Contracts.Tests.Rfc6962;

/// <summary>Just enough of the TLS presentation language to take the fixtures apart (big-endian, length-prefixed).</summary>
internal ref struct TlsReader(ReadOnlySpan<byte> buffer)
{
    private ReadOnlySpan<byte> _rest = buffer;

    public readonly bool End => _rest.IsEmpty;

    public readonly int Remaining => _rest.Length;

    public ReadOnlySpan<byte> Bytes(int count)
    {
        var bytes = _rest[..count];
        _rest = _rest[count..];
        return bytes;
    }

    public byte UInt8() => Bytes(1)[0];

    public ushort UInt16() => BinaryPrimitives.ReadUInt16BigEndian(Bytes(2));

    public int UInt24()
    {
        var b = Bytes(3);
        return (b[0] << 16) | (b[1] << 8) | b[2];
    }

    public ulong UInt64() => BinaryPrimitives.ReadUInt64BigEndian(Bytes(8));

    public ReadOnlySpan<byte> Opaque16() => Bytes(UInt16());

    public ReadOnlySpan<byte> Opaque24() => Bytes(UInt24());

    /// <summary>A <c>&lt;0..2^24-1&gt;</c> list of <c>&lt;1..2^24-1&gt;</c> certificates.</summary>
    public ReadOnlyMemory<byte>[] CertificateList()
    {
        var list = new TlsReader(Opaque24());
        var certificates = new List<ReadOnlyMemory<byte>>();
        while (!list.End)
            certificates.Add(list.Opaque24().ToArray());
        return [.. certificates];
    }
}
