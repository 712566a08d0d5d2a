using System.Buffers;
using System.Security.Cryptography;
using Certstream.Contracts.Rfc6962;
using Certstream.TestSupport;

namespace Certstream.Contracts.Tests.Rfc6962;

/// <summary>
/// The encoders rebuild real log entries (RFC 6962 §3.4, §4.6) byte for byte from their parts, and turn
/// real static-ct-api tile leaves into leaf_input whose Merkle leaf hashes are the log's own.
/// </summary>
public sealed class Rfc6962EncoderTests
{
    public static TheoryData<string> Sources() => new(SampleEntries.GetEntries().Select(e => e.Source));

    [Fact]
    public void The_fixtures_hold_both_entry_types()
    {
        var types = SampleEntries.GetEntries().Select(e => e.LeafInput[11]).ToHashSet();
        Assert.Equal(new HashSet<byte> { 0, 1 }, types);
    }

    [Theory]
    [MemberData(nameof(Sources))]
    public void Leaf_input_is_rebuilt_byte_for_byte_from_its_parts(string source)
    {
        var leaf = Entry(source).LeafInput;
        var reader = new TlsReader(leaf);
        Assert.Equal(0, reader.UInt8()); // v1
        Assert.Equal(0, reader.UInt8()); // timestamped_entry
        var timestamp = reader.UInt64();
        var entryType = reader.UInt16();
        var output = new ArrayBufferWriter<byte>();
        if (entryType == 0)
        {
            var certificate = reader.Opaque24();
            var extensions = reader.Opaque16();
            LeafInputEncoder.WriteX509Entry(output, timestamp, certificate, extensions);
        }
        else
        {
            Assert.Equal(1, entryType);
            var issuerKeyHash = reader.Bytes(32);
            var tbs = reader.Opaque24();
            var extensions = reader.Opaque16();
            LeafInputEncoder.WritePrecertEntry(output, timestamp, issuerKeyHash, tbs, extensions);
        }
        Assert.True(reader.End);
        Assert.Equal(leaf, output.WrittenSpan.ToArray());
    }

    [Theory]
    [MemberData(nameof(Sources))]
    public void Extra_data_is_rebuilt_byte_for_byte_from_its_parts(string source)
    {
        var (_, leaf, extra) = Entry(source);
        var reader = new TlsReader(extra);
        var output = new ArrayBufferWriter<byte>();
        if (leaf[11] == 0)
        {
            var chain = reader.CertificateList();
            Assert.NotEmpty(chain);
            ExtraDataEncoder.WriteCertificateChain(output, chain);
        }
        else
        {
            var preCertificate = reader.Opaque24();
            var chain = reader.CertificateList();
            Assert.NotEmpty(chain);
            ExtraDataEncoder.WritePrecertChainEntry(output, preCertificate, chain);
        }
        Assert.True(reader.End);
        Assert.Equal(extra, output.WrittenSpan.ToArray());
    }

    [Theory]
    [MemberData(nameof(Sources))]
    public void A_timestamped_entry_wrapped_as_a_leaf_is_the_leaf_input(string source)
    {
        var leaf = Entry(source).LeafInput;
        var output = new ArrayBufferWriter<byte>();
        LeafInputEncoder.WriteTimestampedEntry(output, leaf.AsSpan(2));
        Assert.Equal(leaf, output.WrittenSpan.ToArray());
    }

    [Theory]
    [InlineData("000")]
    [InlineData("001")]
    [InlineData("002")]
    [InlineData("003")]
    public void Tile_leaves_become_leaf_inputs_with_the_logs_own_leaf_hashes(string tile)
    {
        var data = File.ReadAllBytes(RepoPaths.Fixture("static-ct", "navigli2025h2", "tile", "data", tile));
        var hashes = File.ReadAllBytes(RepoPaths.Fixture("static-ct", "navigli2025h2", "tile", "0", tile));
        var reader = new TlsReader(data);
        var count = 0;
        while (!reader.End)
        {
            // TileLeaf (static-ct-api): TimestampedEntry, then pre_certificate for precerts, then fingerprints.
            var before = data.Length - reader.Remaining;
            var timestamp = reader.UInt64();
            var entryType = reader.UInt16();
            Assert.Equal(1, entryType); // the Navigli fixture holds precerts only
            var issuerKeyHash = reader.Bytes(32).ToArray();
            var tbs = reader.Opaque24().ToArray();
            var extensions = reader.Opaque16().ToArray();
            var timestampedEntry = data.AsSpan(before, data.Length - reader.Remaining - before);
            var preCertificate = reader.Opaque24().ToArray();
            var fingerprints = reader.Opaque16();
            Assert.True(fingerprints.Length > 0 && fingerprints.Length % 32 == 0);

            var fromParts = new ArrayBufferWriter<byte>();
            LeafInputEncoder.WritePrecertEntry(fromParts, timestamp, issuerKeyHash, tbs, extensions);
            var wrapped = new ArrayBufferWriter<byte>();
            LeafInputEncoder.WriteTimestampedEntry(wrapped, timestampedEntry);
            Assert.Equal(wrapped.WrittenSpan.ToArray(), fromParts.WrittenSpan.ToArray());

            // RFC 6962 §2.1: leaf hash = SHA-256(0x00 ‖ MerkleTreeLeaf).
            var hash = SHA256.HashData([0x00, .. fromParts.WrittenSpan]);
            Assert.Equal(hashes.AsSpan(count * 32, 32).ToArray(), hash);

            // extra_data: the tile's pre_certificate first, then the issuers (stand-ins here) in order.
            var issuers = Enumerable.Range(0, fingerprints.Length / 32).Select(i => (ReadOnlyMemory<byte>)new byte[] { 0x30, (byte)i }).ToArray();
            var extra = new ArrayBufferWriter<byte>();
            ExtraDataEncoder.WritePrecertChainEntry(extra, preCertificate, issuers);
            var extraReader = new TlsReader(extra.WrittenSpan);
            Assert.Equal(preCertificate, extraReader.Opaque24().ToArray());
            Assert.Equal(issuers.Select(i => i.ToArray()), extraReader.CertificateList().Select(c => c.ToArray()));
            Assert.True(extraReader.End);
            count++;
        }
        Assert.Equal(256, count);
    }

    [Fact]
    public void An_empty_chain_is_an_empty_list()
    {
        var output = new ArrayBufferWriter<byte>();
        ExtraDataEncoder.WriteCertificateChain(output, []);
        Assert.Equal(new byte[] { 0, 0, 0 }, output.WrittenSpan.ToArray());
    }

    [Fact]
    public void Bad_parts_are_refused_before_anything_is_written()
    {
        var output = new ArrayBufferWriter<byte>();
        var hash = new byte[32];
        byte[] cert = [0x30, 0x00];
        Assert.Throws<ArgumentException>(() => LeafInputEncoder.WriteX509Entry(output, 1, [], []));
        Assert.Throws<ArgumentException>(() => LeafInputEncoder.WriteX509Entry(output, 1, cert, new byte[65536]));
        Assert.Throws<ArgumentException>(() => LeafInputEncoder.WritePrecertEntry(output, 1, new byte[31], cert, []));
        Assert.Throws<ArgumentException>(() => LeafInputEncoder.WritePrecertEntry(output, 1, hash, [], []));
        Assert.Throws<ArgumentException>(() => LeafInputEncoder.WritePrecertEntry(output, 1, hash, new byte[LeafInputEncoder.MaxCertificateLength + 1], []));
        Assert.Throws<ArgumentException>(() => LeafInputEncoder.WriteTimestampedEntry(output, new byte[9]));
        Assert.Throws<ArgumentException>(() => ExtraDataEncoder.WriteCertificateChain(output, [cert, ReadOnlyMemory<byte>.Empty]));
        Assert.Throws<ArgumentException>(() => ExtraDataEncoder.WritePrecertChainEntry(output, [], [cert]));
        var big = new byte[LeafInputEncoder.MaxCertificateLength / 2];
        Assert.Throws<ArgumentException>(() => ExtraDataEncoder.WriteCertificateChain(output, [big, big, cert]));
        Assert.Equal(0, output.WrittenCount);
    }

    private static (string Source, byte[] LeafInput, byte[] ExtraData) Entry(string source) =>
        SampleEntries.GetEntries().Single(e => e.Source == source);
}
