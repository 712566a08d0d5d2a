using System.Buffers.Binary;

namespace Certstream.CtLogSim.Tests;

/// <summary>A tiny big-endian reader for RFC 6962 structures, written independently of the simulator's encoder.</summary>
internal sealed class TlsReader(byte[] data)
{
    private int _offset;

    public bool AtEnd => _offset == data.Length;
    public int Offset => _offset;

    public byte U8() => Take(1)[0];
    public int U16() => BinaryPrimitives.ReadUInt16BigEndian(Take(2));
    public int U24() { var b = Take(3); return (b[0] << 16) | (b[1] << 8) | b[2]; }
    public long U64() => (long)BinaryPrimitives.ReadUInt64BigEndian(Take(8));
    public byte[] Bytes(int n) => Take(n).ToArray();
    public byte[] Opaque24() => Bytes(U24());
    public byte[] Opaque16() => Bytes(U16());

    public List<byte[]> CertificateList24()
    {
        var list = new TlsReader(Opaque24());
        var result = new List<byte[]>();
        while (!list.AtEnd) result.Add(list.Opaque24());
        return result;
    }

    private ReadOnlySpan<byte> Take(int n)
    {
        if (_offset + n > data.Length) throw new FormatException($"need {n} bytes at {_offset}, have {data.Length - _offset}");
        var span = data.AsSpan(_offset, n);
        _offset += n;
        return span;
    }
}

/// <summary>A parsed TimestampedEntry (the part of a MerkleTreeLeaf after version and leaf_type).</summary>
internal sealed record TimestampedEntry(long Timestamp, int EntryType, byte[]? IssuerKeyHash, byte[] Body, byte[] Extensions)
{
    public static TimestampedEntry Read(TlsReader r)
    {
        var timestamp = r.U64();
        var type = r.U16();
        var keyHash = type == 1 ? r.Bytes(32) : null;
        var body = r.Opaque24();
        var extensions = r.Opaque16();
        return new TimestampedEntry(timestamp, type, keyHash, body, extensions);
    }

    public static TimestampedEntry FromLeafInput(byte[] leafInput)
    {
        var r = new TlsReader(leafInput);
        Assert.Equal(0, r.U8()); // v1
        Assert.Equal(0, r.U8()); // timestamped_entry
        var entry = Read(r);
        Assert.True(r.AtEnd, "bytes after the MerkleTreeLeaf");
        return entry;
    }
}
