using System.Security.Cryptography;

namespace Certstream.CtLogSim.Issuance;

/// <summary>
/// Public keys for leaf certificates, generated once and reused: only the SubjectPublicKeyInfo of a
/// leaf is ever needed (leaves sign nothing), and key generation is far slower than issuance.
/// </summary>
internal sealed class LeafKeyPool
{
    private LeafKeyPool(IReadOnlyList<LeafKey> keys) => Keys = keys;

    public IReadOnlyList<LeafKey> Keys { get; }

    public static LeafKeyPool Create(ulong seed, int ecP256, int ecP384, int rsa2048)
    {
        var keys = new LeafKey[ecP256 + ecP384 + rsa2048];
        // RSA primes dominate start-up time, so keys are made in parallel, each from its own seed.
        Parallel.For(0, keys.Length, i =>
        {
            var rng = new SeededRandom(SeededRandom.Mix(seed, 0x1eafUL + (ulong)i));
            if (i < ecP256)
            {
                using var ec = ECDsa.Create(DeterministicKeys.EcPrivateKey(rng, ECCurve.NamedCurves.nistP256, 32));
                keys[i] = new LeafKey("ECDSA P-256", ec.ExportSubjectPublicKeyInfo(), IsRsa: false);
            }
            else if (i < ecP256 + ecP384)
            {
                using var ec = ECDsa.Create(DeterministicKeys.EcPrivateKey(rng, ECCurve.NamedCurves.nistP384, 48));
                keys[i] = new LeafKey("ECDSA P-384", ec.ExportSubjectPublicKeyInfo(), IsRsa: false);
            }
            else
            {
                using var rsa = RSA.Create();
                rsa.ImportParameters(DeterministicKeys.RsaPrivateKey(rng, 2048));
                keys[i] = new LeafKey("RSA 2048", rsa.ExportSubjectPublicKeyInfo(), IsRsa: true);
            }
        });
        return new LeafKeyPool(keys);
    }
}

internal sealed record LeafKey(string Algorithm, byte[] SubjectPublicKeyInfo, bool IsRsa);
