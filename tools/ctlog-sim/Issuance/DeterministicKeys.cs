using System.Numerics;
using System.Security.Cryptography;

namespace Certstream.CtLogSim.Issuance;

/// <summary>
/// Keys derived from a seed, so the same seed gives the same log keys, CA keys and leaf public keys
/// (the platform key generators cannot be seeded).
/// </summary>
internal static class DeterministicKeys
{
    private static readonly BigInteger PublicExponent = 65537;

    /// <summary>An EC private key: a scalar from the seed, public point computed by the platform.</summary>
    public static ECParameters EcPrivateKey(SeededRandom rng, ECCurve curve, int scalarBytes)
    {
        var d = new byte[scalarBytes];
        rng.Fill(d);
        // Clearing the top bit keeps d below the group order of P-256/P-384 without a comparison.
        d[0] &= 0x7F;
        d[^1] |= 0x01;
        using var ec = ECDsa.Create();
        ec.ImportParameters(new ECParameters { Curve = curve, D = d });
        return ec.ExportParameters(includePrivateParameters: true);
    }

    /// <summary>An RSA private key (e = 65537) from two seeded probable primes.</summary>
    public static RSAParameters RsaPrivateKey(SeededRandom rng, int bits)
    {
        var smallPrimes = SmallPrimes(1 << 15);
        while (true)
        {
            var p = Prime(rng, bits / 2, smallPrimes);
            var q = Prime(rng, bits / 2, smallPrimes);
            if (p == q) continue;
            if (p < q) (p, q) = (q, p);
            var n = p * q;
            if (n.GetBitLength() != bits) continue;
            var phi = (p - 1) * (q - 1);
            var d = ModInverse(PublicExponent, phi);
            var half = bits / 16;
            return new RSAParameters
            {
                Modulus = ToFixed(n, bits / 8),
                Exponent = [0x01, 0x00, 0x01],
                D = ToFixed(d, bits / 8),
                P = ToFixed(p, half),
                Q = ToFixed(q, half),
                DP = ToFixed(d % (p - 1), half),
                DQ = ToFixed(d % (q - 1), half),
                InverseQ = ToFixed(ModInverse(q, p), half),
            };
        }
    }

    private static BigInteger Prime(SeededRandom rng, int bits, int[] smallPrimes)
    {
        // Incremental search with a sieve: residues of the start are computed once, then every
        // candidate's small factors are found with int arithmetic; only survivors cost a ModPow.
        const int Window = 8192;
        var bytes = new byte[bits / 8];
        var composite = new bool[Window];
        while (true)
        {
            rng.Fill(bytes);
            bytes[0] |= 0xC0; // two top bits set: p·q then has exactly 2·bits bits
            bytes[^1] |= 0x01;
            var start = new BigInteger(bytes, isUnsigned: true, isBigEndian: true);
            Array.Clear(composite);
            foreach (var p in smallPrimes)
            {
                var r = (int)(start % p);
                // offsets k (even) with start + k ≡ 0 (mod p)
                var k = (p - r) % p;
                if (k % 2 == 1) k += p;
                for (; k < Window; k += 2 * p) composite[k] = true;
            }
            for (var k = 0; k < Window; k += 2)
            {
                if (composite[k]) continue;
                var candidate = start + k;
                if ((candidate - 1) % PublicExponent == 0) continue;
                if (IsProbablePrime(candidate, rng, 6)) return candidate;
            }
        }
    }

    private static bool IsProbablePrime(BigInteger n, SeededRandom rng, int rounds)
    {
        var d = n - 1;
        var r = 0;
        while (d.IsEven) { d >>= 1; r++; }
        var buffer = new byte[n.GetByteCount(isUnsigned: true)];
        for (var i = 0; i < rounds; i++)
        {
            rng.Fill(buffer);
            var a = new BigInteger(buffer, isUnsigned: true, isBigEndian: true) % (n - 3) + 2;
            var x = BigInteger.ModPow(a, d, n);
            if (x.IsOne || x == n - 1) continue;
            var composite = true;
            for (var j = 1; j < r && composite; j++)
            {
                x = BigInteger.ModPow(x, 2, n);
                if (x == n - 1) composite = false;
            }
            if (composite) return false;
        }
        return true;
    }

    private static BigInteger ModInverse(BigInteger a, BigInteger m)
    {
        BigInteger oldR = a % m, r = m, oldS = 1, s = 0;
        while (!r.IsZero)
        {
            var q = oldR / r;
            (oldR, r) = (r, oldR - q * r);
            (oldS, s) = (s, oldS - q * s);
        }
        if (!oldR.IsOne) throw new ArgumentException("not invertible", nameof(a));
        return (oldS % m + m) % m;
    }

    private static byte[] ToFixed(BigInteger value, int length)
    {
        var raw = value.ToByteArray(isUnsigned: true, isBigEndian: true);
        if (raw.Length == length) return raw;
        var padded = new byte[length];
        raw.CopyTo(padded.AsSpan(length - raw.Length));
        return padded;
    }

    private static int[] SmallPrimes(int limit)
    {
        var composite = new bool[limit];
        var primes = new List<int>();
        for (var i = 3; i < limit; i += 2)
        {
            if (composite[i]) continue;
            primes.Add(i);
            for (var j = i * i; j < limit; j += 2 * i) composite[j] = true;
        }
        return [.. primes];
    }
}
