using System.Security.Cryptography;
using Certstream.Contracts.Ct;
using Certstream.TestSupport;

namespace Certstream.Parser.Tests;

public sealed class CtReaderTests
{
    [Fact]
    public void Tile_leaves_rebuild_the_leaf_hashes_of_the_level0_tile_and_carry_their_leaf_index()
    {
        for (var tile = 0; tile < 4; tile++)
        {
            var data = GoldenLog.DataTile(tile);
            var hashes = File.ReadAllBytes(RepoPaths.Fixture("static-ct", "navigli2025h2", "tile", "0", tile.ToString("000", System.Globalization.CultureInfo.InvariantCulture)));
            var reader = new TileReader(data);
            var n = 0;
            while (reader.TryReadNext(out var leaf))
            {
                Assert.Equal(hashes.AsSpan(n * 32, 32).ToArray(), LeafHash(MerkleTreeLeaf.Prefix, leaf.Entry.Encoded));
                Assert.True(leaf.TryGetLeafIndex(out var leafIndex));
                Assert.Equal((ulong)(tile * 256 + n), leafIndex);
                Assert.True(leaf.Entry.IsPrecert);
                Assert.False(leaf.PreCertificate.IsEmpty);
                Assert.Equal(32, leaf.Entry.IssuerKeyHash.Length);
                Assert.True(leaf.ChainLength >= 1);
                n++;
            }
            Assert.Equal(CtRejection.None, reader.Rejection);
            Assert.Equal(256, n);
        }
    }

    [Fact]
    public void Partial_tile_yields_its_width_in_leaves()
    {
        var data = File.ReadAllBytes(RepoPaths.Fixture("static-ct", "navigli2025h2", "tile", "data", "003.p", "10"));
        var reader = new TileReader(data);
        var n = 0;
        while (reader.TryReadNext(out _))
            n++;
        Assert.Equal(10, n);
        Assert.Equal(CtRejection.None, reader.Rejection);
    }

    [Fact]
    public void Truncated_tile_stops_with_a_reason_after_the_good_leaves()
    {
        var data = GoldenLog.DataTile(0);
        var reader = new TileReader(data.AsSpan(0, data.Length - 10));
        var n = 0;
        while (reader.TryReadNext(out _))
            n++;
        Assert.Equal(255, n);
        Assert.Equal(CtRejection.Truncated, reader.Rejection);
    }

    [Fact]
    public void Leaf_input_hashes_match_the_logged_leaf_hashes()
    {
        var entries = GoldenLog.RfcEntries();
        Assert.Equal(Convert.FromBase64String("wrNBji1k+ZUcJAdYhFo0c/OkDUTqydXnlF9Fwx3hdcs="), LeafHash([], entries[0].LeafInput));
        Assert.Equal(Convert.FromBase64String("ww9ybnJOxi9qUvSeZtbU/meqy/48GhyzbGUAYtpwrM4="), LeafHash([], entries[1].LeafInput));

        Assert.Equal(CtRejection.None, MerkleTreeLeaf.TryRead(entries[0].LeafInput, out var precert));
        Assert.Equal(LogEntryType.PrecertEntry, precert.EntryType);
        Assert.Equal(1791068325023UL, precert.Timestamp);
        Assert.Equal(File.ReadAllBytes(RepoPaths.Fixture("certs", "modern", "precert_cva-group.at_ecdsa_WE1.tbs_from_leaf_input.der")), precert.Certificate.ToArray());

        Assert.Equal(CtRejection.None, ExtraData.TryReadPrecertChainEntry(entries[0].ExtraData, out var submitted, out var precertChain));
        Assert.Equal(FixtureCertificates.Pem("modern", "precert_cva-group.at_ecdsa_WE1.pem"), submitted.ToArray());
        Assert.Equal(2, precertChain.Count);

        Assert.Equal(CtRejection.None, MerkleTreeLeaf.TryRead(entries[1].LeafInput, out var x509));
        Assert.Equal(LogEntryType.X509Entry, x509.EntryType);
        Assert.Equal(File.ReadAllBytes(RepoPaths.Fixture("certs", "modern", "leaf_newdungenesslightstation.org_rsa_godaddy_3scts.der")), x509.Certificate.ToArray());
        Assert.Equal(CtRejection.None, ExtraData.TryReadCertificateChain(entries[1].ExtraData, out var chain));
        Assert.Equal(3, chain.Count);
    }

    [Theory]
    [InlineData(new byte[] { 1, 0 }, CtRejection.UnsupportedVersion)]
    [InlineData(new byte[] { 0, 1 }, CtRejection.UnsupportedLeafType)]
    [InlineData(new byte[] { 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 2, 0, 0, 0, 0, 0 }, CtRejection.UnknownEntryType)]
    [InlineData(new byte[] { 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 5, 1 }, CtRejection.Truncated)]
    [InlineData(new byte[] { 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0 }, CtRejection.EmptyCertificate)]
    [InlineData(new byte[] { 0 }, CtRejection.Truncated)]
    public void Malformed_leaf_input_gives_a_typed_rejection(byte[] leafInput, CtRejection expected)
    {
        Assert.Equal(expected, MerkleTreeLeaf.TryRead(leafInput, out _));
    }

    [Fact]
    public void Chain_with_a_bad_inner_length_reports_it_and_yields_the_good_prefix()
    {
        byte[] extraData = [0, 0, 9, 0, 0, 2, 0x30, 0x00, 0, 0, 9, 1];
        Assert.Equal(CtRejection.BadListLength, ExtraData.TryReadCertificateChain(extraData, out var chain));
        Assert.Equal(1, chain.Count);
    }

    private static byte[] LeafHash(ReadOnlySpan<byte> prefix, ReadOnlySpan<byte> body)
    {
        var input = new byte[1 + prefix.Length + body.Length];
        prefix.CopyTo(input.AsSpan(1));
        body.CopyTo(input.AsSpan(1 + prefix.Length));
        return SHA256.HashData(input);
    }
}
