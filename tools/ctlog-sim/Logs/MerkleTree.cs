using System.Security.Cryptography;

namespace Certstream.CtLogSim.Logs;

/// <summary>
/// RFC 6962 §2.1 Merkle tree keeping every complete subtree hash, so roots at the current size and
/// tiles (c2sp.org/tlog-tiles: a level-L tile hash is the complete subtree of height 8·L) are lookups.
/// Not thread-safe; the owning log locks.
/// </summary>
internal sealed class MerkleTree
{
    private readonly List<byte[]>[] _levels = [.. Enumerable.Range(0, 64).Select(_ => new List<byte[]>())];

    public long Size { get; private set; }

    public static byte[] LeafHash(ReadOnlySpan<byte> leafInput)
    {
        var buffer = new byte[1 + leafInput.Length];
        leafInput.CopyTo(buffer.AsSpan(1));
        return SHA256.HashData(buffer);
    }

    public static byte[] NodeHash(ReadOnlySpan<byte> left, ReadOnlySpan<byte> right)
    {
        Span<byte> buffer = stackalloc byte[65];
        buffer[0] = 0x01;
        left.CopyTo(buffer[1..]);
        right.CopyTo(buffer[33..]);
        return SHA256.HashData(buffer);
    }

    public void Append(byte[] leafHash)
    {
        _levels[0].Add(leafHash);
        var index = Size;
        var height = 0;
        var hash = leafHash;
        // Each time a node becomes a right child, its parent's subtree is complete.
        while ((index & 1) == 1)
        {
            hash = NodeHash(_levels[height][(int)(index - 1)], hash);
            _levels[height + 1].Add(hash);
            index >>= 1;
            height++;
        }
        Size++;
    }

    /// <summary>Hash of the complete subtree of 2^height leaves starting at leaf index·2^height, if it exists.</summary>
    public byte[]? Node(int height, long index) =>
        height < _levels.Length && index < _levels[height].Count ? _levels[height][(int)index] : null;

    /// <summary>MTH of the first <paramref name="size"/> leaves: the complete subtrees of its binary decomposition, folded from the right.</summary>
    public byte[] Root(long size)
    {
        if (size == 0) return SHA256.HashData([]);
        var parts = new List<byte[]>();
        long offset = 0;
        for (var height = 63; height >= 0; height--)
        {
            if ((size & (1L << height)) == 0) continue;
            parts.Add(_levels[height][(int)(offset >> height)]);
            offset += 1L << height;
        }
        var acc = parts[^1];
        for (var i = parts.Count - 2; i >= 0; i--) acc = NodeHash(parts[i], acc);
        return acc;
    }
}
