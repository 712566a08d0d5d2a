using System.Numerics;
using System.Security.Cryptography;

namespace Certstream.Ingestor.Verification;

/// <summary>
/// Merkle consistency proofs (RFC 6962 §2.1.2, verified as RFC 9162 §2.1.4.2 says): which subtrees a proof between two tree
/// sizes is made of, and whether a proof ties two roots together.
/// </summary>
internal static class ConsistencyProof
{
    /// <summary>
    /// The leaf ranges [Start, End) whose Merkle tree hashes form the proof from <paramref name="first"/> to <paramref name="second"/>,
    /// in proof order (RFC 6962 §2.1.2 PROOF / SUBPROOF). Empty when first is 0 or equals second.
    /// Each range starts at a multiple of the smallest power of two not below its length (it is a node of the larger tree).
    /// </summary>
    public static IReadOnlyList<(ulong Start, ulong End)> Subtrees(ulong first, ulong second)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(first, second);
        var nodes = new List<(ulong, ulong)>();
        if (first > 0 && first < second) Subproof(first, 0, second, complete: true, nodes);
        return nodes;
    }

    /// <summary>
    /// Whether <paramref name="proof"/> shows the tree of <paramref name="second"/> leaves with root <paramref name="secondRoot"/>
    /// extends the tree of <paramref name="first"/> leaves with root <paramref name="firstRoot"/> (RFC 9162 §2.1.4.2).
    /// Equal sizes need equal roots and an empty proof; a first size of 0 (the empty tree) is consistent with anything.
    /// </summary>
    public static bool Verify(ulong first, ulong second, ReadOnlySpan<byte> firstRoot, ReadOnlySpan<byte> secondRoot, IReadOnlyList<byte[]> proof)
    {
        if (first > second || proof.Any(p => p.Length != 32)) return false;
        if (first == second) return proof.Count == 0 && firstRoot.SequenceEqual(secondRoot);
        if (first == 0) return proof.Count == 0;
        if (proof.Count == 0) return false;

        // 2. A first tree that is a complete subtree is its own first node.
        IEnumerable<byte[]> path = BitOperations.IsPow2(first) ? proof.Prepend(firstRoot.ToArray()) : proof;
        var nodes = path.ToList();
        // 3–4.
        var fn = first - 1;
        var sn = second - 1;
        while ((fn & 1) == 1)
        {
            fn >>= 1;
            sn >>= 1;
        }
        // 5.
        var fr = nodes[0];
        var sr = nodes[0];
        // 6.
        foreach (var c in nodes.Skip(1))
        {
            if (sn == 0) return false;
            if ((fn & 1) == 1 || fn == sn)
            {
                fr = NodeHash(c, fr);
                sr = NodeHash(c, sr);
                while ((fn & 1) == 0 && fn != 0)
                {
                    fn >>= 1;
                    sn >>= 1;
                }
            }
            else
            {
                sr = NodeHash(sr, c);
            }
            fn >>= 1;
            sn >>= 1;
        }
        // 7.
        return fr.AsSpan().SequenceEqual(firstRoot) && sr.AsSpan().SequenceEqual(secondRoot) && sn == 0;
    }

    /// <summary>RFC 6962 §2.1: an interior node is SHA-256(0x01 ‖ left ‖ right).</summary>
    public static byte[] NodeHash(ReadOnlySpan<byte> left, ReadOnlySpan<byte> right)
    {
        Span<byte> buffer = stackalloc byte[65];
        buffer[0] = 0x01;
        left.CopyTo(buffer[1..]);
        right.CopyTo(buffer[33..]);
        return SHA256.HashData(buffer);
    }

    // SUBPROOF(m, D[start:start+n], b), appending MTH ranges in the order the RFC lists them.
    private static void Subproof(ulong m, ulong start, ulong n, bool complete, List<(ulong, ulong)> into)
    {
        if (m == n)
        {
            if (!complete) into.Add((start, start + n));
            return;
        }
        var k = LargestPowerOfTwoBelow(n);
        if (m <= k)
        {
            Subproof(m, start, k, complete, into);
            into.Add((start + k, start + n));
        }
        else
        {
            Subproof(m - k, start + k, n - k, complete: false, into);
            into.Add((start, start + k));
        }
    }

    private static ulong LargestPowerOfTwoBelow(ulong n) => BitOperations.RoundUpToPowerOf2(n) >> 1;
}
