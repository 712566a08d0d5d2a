using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Certstream.Ingestor.Logs;
using Certstream.Ingestor.Rfc6962;
using Certstream.Ingestor.Tiled;
using Certstream.Ingestor.Verification;
using Certstream.TestSupport;

namespace Certstream.Ingestor.Tests.Verification;

/// <summary>Tree head signatures of real logs, checked with the keys Chrome's log list gives for them.</summary>
public sealed class TreeHeadVerifierTests
{
    // tests/fixtures/SOURCES.md: the ParcelYard2026h2 key (its log list entry is not in the trimmed list fixture).
    private const string ParcelYard2026h2Key =
        "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEP2H56bHx6pPm5mCku6PFpeRuA5Ux0gs8iwXIVhvVdbojs0pPwZqLtlIEoJNbjxMEePTYo/qDW85AjhMJITlavA==";

    private static string ListedKey(string url)
    {
        var list = LogList.Parse(File.ReadAllBytes(RepoPaths.Fixture("loglist", "google_log_list_v3_v93.3_2026-10-03_google-operator-only.json")));
        return list.Logs.Single(l => l.Url == url).Key;
    }

    private static string Argon2027h1Key => ListedKey("https://ct.googleapis.com/logs/us1/argon2027h1/");

    private static TreeHead Sth(string file)
    {
        Assert.True(SignedTreeHead.TryParse(File.ReadAllBytes(RepoPaths.Fixture("rfc6962", file)), out var sth));
        return new TreeHead(sth.TreeSize, sth.Timestamp, sth.RootHash.ToArray(), sth.Signature.ToArray());
    }

    private static byte[] Flip(byte[] bytes, int bit)
    {
        var copy = (byte[])bytes.Clone();
        copy[bit / 8] ^= (byte)(1 << (bit % 8));
        return copy;
    }

    [Theory]
    [InlineData("argon2027h1_get-sth_384065451.json")]
    [InlineData("argon2027h1_get-sth_384071894.json")]
    public void A_real_argon_tree_head_verifies_with_the_log_list_key_and_not_with_one_bit_changed(string file)
    {
        using var verifier = TreeHeadVerifier.TryCreate(Argon2027h1Key)!;
        var head = Sth(file);

        Assert.True(verifier.Verifies(head));
        Assert.False(verifier.Verifies(head with { RootHash = Flip(head.RootHash, 77) }));
        Assert.False(verifier.Verifies(head with { TreeSize = head.TreeSize ^ 1 }));
        Assert.False(verifier.Verifies(head with { Timestamp = head.Timestamp + 1 }));
        Assert.False(verifier.Verifies(head with { Signature = Flip(head.Signature, 8 * 20 + 3) }));
        Assert.False(verifier.Verifies(head with { Signature = [] }));
    }

    [Fact]
    public void A_tree_head_does_not_verify_with_another_logs_key()
    {
        using var xenon = TreeHeadVerifier.TryCreate(ListedKey("https://ct.googleapis.com/logs/eu1/xenon2027h1/"))!;
        Assert.False(xenon.Verifies(Sth("argon2027h1_get-sth_384065451.json")));
    }

    [Fact]
    public void The_log_id_is_the_sha256_of_the_key() =>
        Assert.Equal("1tWNqdAXU/NqSqDHV0kCr+vH3CzTjNn3ZMgMiRkenwI=", Convert.ToBase64String(TreeHeadVerifier.TryCreate(Argon2027h1Key)!.LogId));

    [Fact]
    public void A_real_parcelyard_checkpoint_verifies_by_its_rfc6962_line_among_four()
    {
        var text = File.ReadAllText(RepoPaths.Fixture("static-ct", "parcelyard2026h2_checkpoint_1587930800"));
        using var verifier = TreeHeadVerifier.TryCreate(ParcelYard2026h2Key)!;

        var head = verifier.HeadOf(CheckpointNote.TryParse(Encoding.UTF8.GetBytes(text))!);

        Assert.Equal(1_791_346_973_252UL, head.Timestamp);
        Assert.Equal(1_587_930_800UL, head.TreeSize);
        Assert.True(verifier.Verifies(head));
        // One bit of the root hash line changed ('S' → 'T' flips one bit of the first byte).
        var changed = text.Replace("\nSVJjVAjX0Ya5", "\nTVJjVAjX0Ya5", StringComparison.Ordinal);
        Assert.NotEqual(text, changed);
        Assert.False(verifier.Verifies(verifier.HeadOf(CheckpointNote.TryParse(Encoding.UTF8.GetBytes(changed))!)));
        // One bit of the signature changed.
        Assert.False(verifier.Verifies(head with { Signature = Flip(head.Signature, 8 * 30) }));
    }

    [Fact]
    public void A_checkpoint_without_a_line_for_the_key_gives_no_signature()
    {
        var note = CheckpointNote.TryParse(File.ReadAllBytes(RepoPaths.Fixture("static-ct", "parcelyard2026h2_checkpoint_1587930800")))!;
        using var argon = TreeHeadVerifier.TryCreate(Argon2027h1Key)!;

        var head = argon.HeadOf(note);

        Assert.Empty(head.Signature);
        Assert.False(argon.Verifies(head));
        // Same key, but the origin (the key name) differs: its key ID differs too, so no line matches.
        using var parcelyard = TreeHeadVerifier.TryCreate(ParcelYard2026h2Key)!;
        Assert.Empty(parcelyard.HeadOf(note with { Origin = "parcelyard2026h2.example" }).Signature);
    }

    [Fact]
    public void Rsa_pkcs1_signatures_verify_and_the_algorithm_byte_must_match_the_key()
    {
        using var rsa = RSA.Create(2048);
        using var verifier = TreeHeadVerifier.TryCreate(rsa.ExportSubjectPublicKeyInfo())!;
        var root = SHA256.HashData("root"u8);
        var input = TreeHeadVerifier.SignedInput(1_700_000_000_000, 42, root);
        var signature = rsa.SignData(input, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var head = new TreeHead(42, 1_700_000_000_000, root, DigitallySigned(4, 1, signature));

        Assert.True(verifier.Verifies(head));
        Assert.False(verifier.Verifies(head with { Signature = DigitallySigned(4, 3, signature) }));
        Assert.False(verifier.Verifies(head with { Signature = DigitallySigned(2, 1, signature) }));
        Assert.False(verifier.Verifies(head with { TreeSize = 43 }));
    }

    [Fact]
    public void Keys_that_are_not_ec_or_rsa_spki_make_no_verifier()
    {
        Assert.Null(TreeHeadVerifier.TryCreate(""));
        Assert.Null(TreeHeadVerifier.TryCreate("not base64"));
        Assert.Null(TreeHeadVerifier.TryCreate(Convert.ToBase64String(new byte[] { 1, 2, 3 })));
        Assert.Null(TreeHeadVerifier.TryCreate(Convert.ToBase64String(Convert.FromBase64String(Argon2027h1Key)[..^2])));
    }

    private static byte[] DigitallySigned(byte hash, byte algorithm, byte[] signature)
    {
        var result = new byte[4 + signature.Length];
        result[0] = hash;
        result[1] = algorithm;
        BinaryPrimitives.WriteUInt16BigEndian(result.AsSpan(2), (ushort)signature.Length);
        signature.CopyTo(result, 4);
        return result;
    }
}
