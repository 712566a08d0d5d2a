using System.Buffers.Binary;
using Certstream.Ingestor.Tests.Support;
using Certstream.Ingestor.Tiled;
using Certstream.TestSupport;

namespace Certstream.Ingestor.Tests.Tiled;

public sealed class TiledLeafConverterTests
{
    private static byte[] Tile(int n) => File.ReadAllBytes(RepoPaths.Fixture("static-ct", "navigli2025h2", "tile", "data", $"{n:000}"));

    private static Dictionary<string, ReadOnlyMemory<byte>> FakeIssuers(TiledLeafConverter converter, byte[] tile, int width) =>
        converter.IssuerFingerprints(tile, width).ToDictionary(f => f, f => (ReadOnlyMemory<byte>)TestTileLeafSource.IssuerBody(f));

    [Fact]
    public void Converted_leaf_inputs_hash_to_the_logs_own_level_0_hashes()
    {
        var converter = new TiledLeafConverter();
        for (var t = 0; t < 4; t++)
        {
            var tile = Tile(t);
            var leaves = converter.ToRfc6962(tile, 256, FakeIssuers(converter, tile, 256));
            Assert.Equal(256, leaves.Count);
            for (var i = 0; i < 256; i++)
                Assert.Equal(LevelZeroHashes.Of((t * 256) + i).ToArray(), LevelZeroHashes.LeafHash(leaves[i].LeafInput.Span));
        }
    }

    [Fact]
    public void The_partial_tile_converts_to_its_width_and_matches_its_partial_hash_tile()
    {
        var converter = new TiledLeafConverter();
        var tile = File.ReadAllBytes(RepoPaths.Fixture("static-ct", "navigli2025h2", "tile", "data", "003.p", "10"));
        var hashes = File.ReadAllBytes(RepoPaths.Fixture("static-ct", "navigli2025h2", "tile", "0", "003.p", "10"));
        var leaves = converter.ToRfc6962(tile, 10, FakeIssuers(converter, tile, 10));
        Assert.Equal(10, leaves.Count);
        for (var i = 0; i < 10; i++) Assert.Equal(hashes.AsSpan(i * 32, 32).ToArray(), LevelZeroHashes.LeafHash(leaves[i].LeafInput.Span));
    }

    [Fact]
    public void Extra_data_of_a_precert_is_a_PrecertChainEntry_with_the_tiles_pre_certificate_and_the_issuers()
    {
        var converter = new TiledLeafConverter();
        var tile = Tile(0);
        var walked = TileLeafWalker.Walk(tile, 256);
        var leaves = converter.ToRfc6962(tile, 256, FakeIssuers(converter, tile, 256));
        var sawX509 = false;
        var sawPrecert = false;
        for (var i = 0; i < 256; i++)
        {
            var extra = leaves[i].ExtraData.Span;
            var entryType = BinaryPrimitives.ReadUInt16BigEndian(leaves[i].LeafInput.Span[10..]);
            var at = 0;
            if (entryType == 1)
            {
                sawPrecert = true;
                // pre_certificate: the bytes between the timestamped_entry and the fingerprint list in the tile.
                var preCertificate = tile.AsSpan(walked[i].TimestampedEntryEnd + 3, Read24(tile, walked[i].TimestampedEntryEnd));
                Assert.Equal(preCertificate.Length, Read24(extra, 0));
                Assert.True(extra.Slice(3, preCertificate.Length).SequenceEqual(preCertificate));
                at = 3 + preCertificate.Length;
            }
            else
            {
                sawX509 = true;
            }
            // The chain: issuers in the tile's fingerprint order, each with a 3-byte length.
            var chain = walked[i].Fingerprints.Select(f => TestTileLeafSource.IssuerBody(f)).ToList();
            Assert.Equal(chain.Sum(c => 3 + c.Length), Read24(extra, at));
            at += 3;
            foreach (var issuer in chain)
            {
                Assert.Equal(issuer.Length, Read24(extra, at));
                Assert.True(extra.Slice(at + 3, issuer.Length).SequenceEqual(issuer));
                at += 3 + issuer.Length;
            }
            Assert.Equal(extra.Length, at);
        }
        Assert.True(sawPrecert && !sawX509, "the Navigli fixture tiles hold precerts only");
    }

    [Fact]
    public void An_x509_TileLeaf_converts_back_to_the_RFC_6962_leaf_and_a_certificate_chain()
    {
        // A TileLeaf built from a real RFC 6962 x509 entry: timestamped_entry (= leaf_input minus its 2-byte header), two fingerprints.
        var leafInput = FakeRfc6962Log.LeafFor(42);
        var issuerA = "issuer A"u8.ToArray();
        var issuerB = "issuer B, the root"u8.ToArray();
        var fingerprintA = System.Security.Cryptography.SHA256.HashData(issuerA);
        var fingerprintB = System.Security.Cryptography.SHA256.HashData(issuerB);
        byte[] tileLeaf = [.. leafInput.AsSpan(2), 0, 64, .. fingerprintA, .. fingerprintB];
        byte[] tile = [.. tileLeaf, .. tileLeaf];
        var converter = new TiledLeafConverter();
        var issuers = new Dictionary<string, ReadOnlyMemory<byte>>
        {
            [Convert.ToHexStringLower(fingerprintA)] = issuerA,
            [Convert.ToHexStringLower(fingerprintB)] = issuerB,
        };

        Assert.Equal(issuers.Keys.Order(), converter.IssuerFingerprints(tile, 2).Order());
        var leaves = converter.ToRfc6962(tile, 2, issuers);
        Assert.Equal(2, leaves.Count);
        Assert.Equal(leafInput, leaves[1].LeafInput.ToArray());
        byte[] chain = [0, 0, (byte)(6 + issuerA.Length + issuerB.Length), 0, 0, (byte)issuerA.Length, .. issuerA, 0, 0, (byte)issuerB.Length, .. issuerB];
        Assert.Equal(chain, leaves[1].ExtraData.ToArray());
    }

    [Fact]
    public void Issuer_fingerprints_are_the_distinct_lower_case_hex_of_the_tiles_chains()
    {
        var tile = Tile(1);
        var expected = TileLeafWalker.Walk(tile, 256).SelectMany(l => l.Fingerprints).Distinct().Order().ToList();
        Assert.Equal(expected, new TiledLeafConverter().IssuerFingerprints(tile, 256).Order().ToList());
        Assert.All(expected, f => Assert.Matches("^[0-9a-f]{64}$", f));
    }

    [Fact]
    public void A_truncated_tile_or_a_missing_issuer_is_InvalidDataException()
    {
        var converter = new TiledLeafConverter();
        var tile = Tile(2);
        Assert.Throws<InvalidDataException>(() => converter.IssuerFingerprints(tile.AsMemory(0, tile.Length - 1), 256));
        Assert.Throws<InvalidDataException>(() => converter.ToRfc6962(tile.AsMemory(0, tile.Length / 2), 256, FakeIssuers(converter, tile, 256)));
        var issuers = FakeIssuers(converter, tile, 256);
        issuers.Remove(issuers.Keys.First());
        Assert.Throws<InvalidDataException>(() => converter.ToRfc6962(tile, 256, issuers));
        var badType = (byte[])tile.Clone();
        badType[9] = 7; // entry_type of the first leaf
        Assert.Throws<InvalidDataException>(() => converter.IssuerFingerprints(badType, 256));
    }

    private static int Read24(ReadOnlySpan<byte> span, int at) => (span[at] << 16) | (span[at + 1] << 8) | span[at + 2];
}
