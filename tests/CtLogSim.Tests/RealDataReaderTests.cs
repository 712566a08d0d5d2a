using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Certstream.TestSupport;

namespace Certstream.CtLogSim.Tests;

/// <summary>
/// The test readers are the yardstick for "same format as a real log", so they are first checked
/// against real data: the Argon get-entries capture and the Navigli tiles.
/// </summary>
public sealed class RealDataReaderTests
{
    [Fact]
    public void The_leaf_reader_parses_real_argon_entries()
    {
        var json = JsonDocument.Parse(File.ReadAllText(RepoPaths.Fixture("rfc6962", "argon2027h1_get-entries_380000003-380000004.json"))).RootElement;
        var entries = json.GetProperty("entries").EnumerateArray().ToList();

        var precert = TimestampedEntry.FromLeafInput(entries[0].GetProperty("leaf_input").GetBytesFromBase64());
        Assert.Equal(1, precert.EntryType);
        var extra = new TlsReader(entries[0].GetProperty("extra_data").GetBytesFromBase64());
        using var pre = X509CertificateLoader.LoadCertificate(extra.Opaque24());
        Assert.Equal(2, extra.CertificateList24().Count);
        Assert.True(extra.AtEnd);
        Assert.Equal(File.ReadAllBytes(RepoPaths.Fixture("certs", "modern", "precert_cva-group.at_ecdsa_WE1.tbs_from_leaf_input.der")), precert.Body);

        var x509 = TimestampedEntry.FromLeafInput(entries[1].GetProperty("leaf_input").GetBytesFromBase64());
        Assert.Equal(0, x509.EntryType);
        using var cert = X509CertificateLoader.LoadCertificate(x509.Body);
        Assert.Equal(3, new TlsReader(entries[1].GetProperty("extra_data").GetBytesFromBase64()).CertificateList24().Count);
    }

    [Fact]
    public void The_tile_reader_parses_real_navigli_tiles_that_hash_to_their_level_0_tile()
    {
        var data = File.ReadAllBytes(RepoPaths.Fixture("static-ct", "navigli2025h2", "tile", "data", "003.p", "10"));
        var hashes = File.ReadAllBytes(RepoPaths.Fixture("static-ct", "navigli2025h2", "tile", "0", "003"));
        var leaves = StaticCtApiTests.ReadTileLeaves(data);
        Assert.Equal(10, leaves.Count);
        for (var i = 0; i < leaves.Count; i++)
        {
            Assert.Equal(hashes.AsSpan(i * 32, 32).ToArray(), TreeMath.LeafHash([0, 0, .. leaves[i].Raw]));
            var index = 3 * 256 + i;
            Assert.Equal(new byte[] { 0, 0, 5, 0, 0, 0, (byte)(index >> 8), (byte)index }, leaves[i].Entry.Extensions);
        }
    }
}
