using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Certstream.Ingestor.Tiled;

namespace Certstream.Ingestor.Verification;

/// <summary>
/// Checks a log's tree head signatures with its public key (the log list's <c>key</c>, a DER SubjectPublicKeyInfo):
/// TLS <c>DigitallySigned</c> (RFC 5246 §4.7) with SHA-256 and ECDSA (DER signature) or RSA PKCS#1 v1.5 over the 50-byte
/// TreeHeadSignature (RFC 6962 §3.5). A static-ct checkpoint carries the same signature in its RFC 6962 note signature line
/// (c2sp.org/static-ct-api, docs/ingest.md "Verified logs").
/// </summary>
internal sealed class TreeHeadVerifier : IDisposable
{
    private const byte Sha256 = 4;
    private const byte RsaSignature = 1;
    private const byte EcdsaSignature = 3;

    // c2sp.org/signed-note signature type of an RFC 6962 TreeHeadSignature.
    private const byte NoteRfc6962Type = 0x05;

    private readonly ECDsa? _ecdsa;
    private readonly RSA? _rsa;

    private TreeHeadVerifier(ECDsa? ecdsa, RSA? rsa, byte[] logId)
    {
        _ecdsa = ecdsa;
        _rsa = rsa;
        LogId = logId;
    }

    /// <summary>SHA-256 of the key: the log's ID (RFC 6962 §3.2).</summary>
    public byte[] LogId { get; }

    /// <summary>A verifier for an EC or RSA key, or null when <paramref name="spki"/> is neither.</summary>
    public static TreeHeadVerifier? TryCreate(ReadOnlySpan<byte> spki)
    {
        var logId = SHA256.HashData(spki);
        var ecdsa = ECDsa.Create();
        if (Imports(ecdsa, spki)) return new TreeHeadVerifier(ecdsa, null, logId);
        ecdsa.Dispose();
        var rsa = RSA.Create();
        if (Imports(rsa, spki)) return new TreeHeadVerifier(null, rsa, logId);
        rsa.Dispose();
        return null;
    }

    /// <summary>A verifier for a base64 key as the log list gives it, or null when it is not one.</summary>
    public static TreeHeadVerifier? TryCreate(string? base64Spki)
    {
        if (string.IsNullOrEmpty(base64Spki)) return null;
        var spki = new byte[base64Spki.Length];
        return Convert.TryFromBase64String(base64Spki, spki, out var length) ? TryCreate(spki.AsSpan(0, length)) : null;
    }

    /// <summary>RFC 6962 §3.5 TreeHeadSignature: version v1 (0), signature_type tree_hash (1), timestamp, tree_size, sha256_root_hash.</summary>
    public static byte[] SignedInput(ulong timestamp, ulong treeSize, ReadOnlySpan<byte> rootHash)
    {
        if (rootHash.Length != 32) throw new ArgumentException("a root hash is 32 bytes", nameof(rootHash));
        var input = new byte[50];
        input[0] = 0;
        input[1] = 1;
        BinaryPrimitives.WriteUInt64BigEndian(input.AsSpan(2), timestamp);
        BinaryPrimitives.WriteUInt64BigEndian(input.AsSpan(10), treeSize);
        rootHash.CopyTo(input.AsSpan(18));
        return input;
    }

    /// <summary>Whether the head's signature is this log's over its timestamp, size and root.</summary>
    public bool Verifies(TreeHead head) =>
        head.RootHash.Length == 32 && VerifiesDigitallySigned(SignedInput(head.Timestamp, head.TreeSize, head.RootHash), head.Signature);

    /// <summary>Whether <paramref name="digitallySigned"/> (hash, signature algorithm, 2-byte length, signature) signs <paramref name="data"/>.</summary>
    public bool VerifiesDigitallySigned(ReadOnlySpan<byte> data, ReadOnlySpan<byte> digitallySigned)
    {
        if (digitallySigned.Length < 4 || digitallySigned[0] != Sha256) return false;
        var length = BinaryPrimitives.ReadUInt16BigEndian(digitallySigned[2..]);
        if (digitallySigned.Length != 4 + length) return false;
        var signature = digitallySigned[4..];
        try
        {
            return digitallySigned[1] switch
            {
                EcdsaSignature when _ecdsa is not null => _ecdsa.VerifyData(data, signature, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence),
                RsaSignature when _rsa is not null => _rsa.VerifyData(data, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
                _ => false,
            };
        }
        catch (CryptographicException)
        {
            return false; // A signature that is not even DER.
        }
    }

    /// <summary>
    /// The checkpoint as a tree head: its size and root, with the timestamp and <c>DigitallySigned</c> of its RFC 6962 note
    /// signature — the line whose key name is the origin and whose key ID is SHA-256(name ‖ 0x0A ‖ 0x05 ‖ log ID)[:4]
    /// (c2sp.org/static-ct-api). Other lines (other keys, witnesses) are ignored; without a matching line the signature is empty.
    /// </summary>
    public TreeHead HeadOf(CheckpointNote note)
    {
        var keyId = NoteKeyId(note.Origin);
        var prefix = "\u2014 " + note.Origin + " ";
        foreach (var line in note.Signatures)
        {
            if (!line.StartsWith(prefix, StringComparison.Ordinal)) continue;
            var encoded = line.AsSpan(prefix.Length);
            var bytes = new byte[encoded.Length];
            if (!Convert.TryFromBase64Chars(encoded, bytes, out var length) || length < 4 + 8 + 4) continue;
            if (!bytes.AsSpan(0, 4).SequenceEqual(keyId)) continue;
            var timestamp = BinaryPrimitives.ReadUInt64BigEndian(bytes.AsSpan(4));
            return new TreeHead(note.TreeSize, timestamp, note.RootHash.ToArray(), bytes[12..length]);
        }
        return new TreeHead(note.TreeSize, 0, note.RootHash.ToArray(), []);
    }

    private byte[] NoteKeyId(string keyName)
    {
        var name = Encoding.UTF8.GetBytes(keyName);
        var input = new byte[name.Length + 2 + LogId.Length];
        name.CopyTo(input, 0);
        input[name.Length] = 0x0A;
        input[name.Length + 1] = NoteRfc6962Type;
        LogId.CopyTo(input, name.Length + 2);
        return SHA256.HashData(input)[..4];
    }

    private static bool Imports(AsymmetricAlgorithm key, ReadOnlySpan<byte> spki)
    {
        try
        {
            key.ImportSubjectPublicKeyInfo(spki, out var read);
            return read == spki.Length;
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    public void Dispose()
    {
        _ecdsa?.Dispose();
        _rsa?.Dispose();
    }
}
