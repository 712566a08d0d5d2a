using System.Security.Cryptography;

namespace Certstream.CtLogSim.Tests;

/// <summary>RFC 6962 §2.1 Merkle Tree Hash by its recursive definition (an oracle independent of the simulator's tree).</summary>
internal static class TreeMath
{
    public static byte[] LeafHash(byte[] leafInput) => SHA256.HashData([0x00, .. leafInput]);

    public static byte[] Mth(IReadOnlyList<byte[]> leafHashes) => Mth(leafHashes, 0, leafHashes.Count);

    private static byte[] Mth(IReadOnlyList<byte[]> hashes, int start, int n)
    {
        if (n == 0) return SHA256.HashData([]);
        if (n == 1) return hashes[start];
        var k = 1;
        while (k * 2 < n) k *= 2;
        return SHA256.HashData([0x01, .. Mth(hashes, start, k), .. Mth(hashes, start + k, n - k)]);
    }

    /// <summary>RFC 6962 §2.1.2 PROOF(m, D[n]) by its recursive definition.</summary>
    public static List<byte[]> ConsistencyProof(IReadOnlyList<byte[]> leafHashes, int m, int n)
    {
        var proof = new List<byte[]>();
        if (m > 0 && m < n) Subproof(leafHashes, m, 0, n, true, proof);
        return proof;
    }

    private static void Subproof(IReadOnlyList<byte[]> hashes, int m, int start, int n, bool b, List<byte[]> proof)
    {
        if (m == n)
        {
            if (!b) proof.Add(Mth(hashes, start, n));
            return;
        }
        var k = 1;
        while (k * 2 < n) k *= 2;
        if (m <= k)
        {
            Subproof(hashes, m, start, k, b, proof);
            proof.Add(Mth(hashes, start + k, n - k));
        }
        else
        {
            Subproof(hashes, m - k, start + k, n - k, false, proof);
            proof.Add(Mth(hashes, start, k));
        }
    }

    /// <summary>RFC 6962 §3.5 TreeHeadSignature input.</summary>
    public static byte[] TreeHeadSignatureInput(long timestamp, long size, byte[] root)
    {
        var data = new byte[50];
        data[1] = 1;
        System.Buffers.Binary.BinaryPrimitives.WriteInt64BigEndian(data.AsSpan(2), timestamp);
        System.Buffers.Binary.BinaryPrimitives.WriteInt64BigEndian(data.AsSpan(10), size);
        root.CopyTo(data, 18);
        return data;
    }

    /// <summary>Verifies a TLS DigitallySigned (sha256 + ecdsa) with a DER SubjectPublicKeyInfo.</summary>
    public static bool VerifyDigitallySigned(byte[] spki, byte[] signedInput, byte[] digitallySigned)
    {
        var r = new TlsReader(digitallySigned);
        if (r.U8() != 4 || r.U8() != 3) return false;
        var sig = r.Opaque16();
        if (!r.AtEnd) return false;
        using var key = ECDsa.Create();
        key.ImportSubjectPublicKeyInfo(spki, out _);
        return key.VerifyData(signedInput, sig, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
    }
}
