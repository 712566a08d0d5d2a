using System.Buffers.Binary;

namespace Certstream.Contracts.Ct;

/// <summary>The CtExtensions list of a TimestampedEntry (c2sp.org/static-ct-api: <c>{uint8 type; opaque data&lt;0..2^16-1&gt;}</c>).</summary>
public static class CtExtensions
{
    /// <summary>Extension type of the static-ct-api leaf_index (a 5-byte big-endian uint40).</summary>
    public const byte LeafIndexType = 0;

    /// <summary>Finds the leaf_index extension; false when absent or malformed.</summary>
    public static bool TryGetLeafIndex(ReadOnlySpan<byte> extensions, out ulong leafIndex)
    {
        leafIndex = 0;
        var reader = new TlsReader(extensions);
        while (reader.Remaining > 0)
        {
            if (!reader.TryReadUInt8(out var type) || !reader.TryReadOpaque16(out var data))
                return false;
            if (type == LeafIndexType)
            {
                if (data.Length != 5)
                    return false;
                leafIndex = ((ulong)data[0] << 32) | BinaryPrimitives.ReadUInt32BigEndian(data[1..]);
                return true;
            }
        }
        return false;
    }
}
