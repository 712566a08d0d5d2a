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

    /// <summary>MTH of the first <paramref name="size"/> leaves.</summary>
    public byte[] Root(long size) => size == 0 ? SHA256.HashData([]) : RangeHash(0, size);

    /// <summary>
    /// MTH of leaves [start, end) where start is a multiple of a power of two ≥ end − start (a node of a larger tree): the
    /// complete subtrees of its binary decomposition, folded from the right.
    /// </summary>
    public byte[] RangeHash(long start, long end)
    {
        var parts = new List<byte[]>();
        var offset = start;
        for (var height = 62; height >= 0; height--)
        {
            if (((end - start) & (1L << height)) == 0) continue;
            parts.Add(_levels[height][(int)(offset >> height)]);
            offset += 1L << height;
        }
        var acc = parts[^1];
        for (var i = parts.Count - 2; i >= 0; i--) acc = NodeHash(parts[i], acc);
        return acc;
    }

    /// <summary>RFC 6962 §2.1.2 PROOF(m, D[n]): the consistency proof from the first <paramref name="first"/> leaves to the first <paramref name="second"/>.</summary>
    public List<byte[]> ConsistencyProof(long first, long second)
    {
        var proof = new List<byte[]>();
        if (first > 0 && first < second) Subproof(first, 0, second, complete: true, proof);
        return proof;
    }

    /// <summary>A copy whose leaf <paramref name="index"/> has another hash: a fork of this tree from that leaf on.</summary>
    public MerkleTree WithLeaf(long index, byte[] leafHash)
    {
        var copy = new MerkleTree();
        for (var i = 0; i < Size; i++) copy.Append(i == index ? leafHash : _levels[0][i]);
        return copy;
    }

    // SUBPROOF(m, D[start:start+n], b).
    private void Subproof(long m, long start, long n, bool complete, List<byte[]> proof)
    {
        if (m == n)
        {
            if (!complete) proof.Add(RangeHash(start, start + n));
            return;
        }
        var k = 1L;
        while (k * 2 < n) k *= 2;
        if (m <= k)
        {
            Subproof(m, start, k, complete, proof);
            proof.Add(RangeHash(start + k, start + n));
        }
        else
        {
            Subproof(m - k, start + k, n - k, complete: false, proof);
            proof.Add(RangeHash(start, start + k));
        }
    }
}
