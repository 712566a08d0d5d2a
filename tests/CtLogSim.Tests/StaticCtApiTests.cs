using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Certstream.CtLogSim.Logs;
using Certstream.TestSupport;

namespace Certstream.CtLogSim.Tests;

[Collection(SharedSimulator.Name)]
public sealed class StaticCtApiTests(SimulatorFixture fixture)
{
    private CtLogSimulator Sim => fixture.Sim;
    private HttpClient Http => fixture.Http;
    private SimLogInfo Log => Sim.Log("static-0");

    [Theory]
    [InlineData(0, "000")]
    [InlineData(7, "007")]
    [InlineData(999, "999")]
    [InlineData(1000, "x001/000")]
    [InlineData(1234, "x001/234")]
    [InlineData(1234067, "x001/x234/067")]
    [InlineData(1999001, "x001/x999/001")]
    public void Tile_indexes_are_written_in_three_digit_groups(long index, string path)
    {
        Assert.Equal(path, TilePath.Encode(index));
        Assert.True(TilePath.TryParse(path, out var parsed, out var width));
        Assert.Equal((index, 0), (parsed, width));
        Assert.True(TilePath.TryParse(path + ".p/17", out parsed, out width));
        Assert.Equal((index, 17), (parsed, width));
    }

    [Theory]
    [InlineData("tile/data/0")]
    [InlineData("tile/data/x000/001")]
    [InlineData("tile/data/x000/x000/000")]
    [InlineData("tile/data/000.p/0")]
    [InlineData("tile/data/000.p/256")]
    [InlineData("tile/data/000.p/010")]
    [InlineData("tile/6/000")]
    [InlineData("tile/data/002")]       // not full yet (600 entries)
    [InlineData("tile/data/002.p/89")]  // wider than the log
    [InlineData("tile/0/003.p/1")]
    [InlineData("tile/1/000")]
    public async Task Tiles_that_do_not_exist_or_are_not_canonical_are_not_found(string path)
    {
        using var response = await Http.GetAsync(Log.Url.Under(path));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Checkpoint_is_a_signed_note_with_a_valid_rfc6962_signature()
    {
        using var response = await Http.GetAsync(Log.Url.Under("checkpoint"));
        Assert.Equal("text/plain; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        var text = await response.Content.ReadAsStringAsync();
        var real = File.ReadAllText(RepoPaths.Fixture("static-ct", "sycamore2024h2_checkpoint_820495916"));
        Assert.Equal(real.Split('\n').Length, text.Split('\n').Length); // origin, size, root, blank, one signature, final newline

        var lines = text.Split('\n');
        Assert.Equal(Log.Origin, lines[0]);
        Assert.Equal(Sim.Log("static-0").Url.Authority + "/static-0", lines[0]);
        var size = long.Parse(lines[1], System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(SimulatorFixture.InitialSize, size);
        var root = Convert.FromBase64String(lines[2]);
        Assert.Equal("", lines[3]);
        Assert.Equal("", lines[5]);
        var prefix = "\u2014 " + lines[0] + " ";
        Assert.StartsWith(prefix, lines[4]);
        var signature = Convert.FromBase64String(lines[4][prefix.Length..]);

        var logId = Convert.FromBase64String(Log.LogId);
        var keyId = SHA256.HashData([.. Encoding.UTF8.GetBytes(lines[0]), 0x0A, 0x05, .. logId])[..4];
        Assert.Equal(keyId, signature[..4]);
        var timestamp = (long)System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(signature.AsSpan(4));
        Assert.True(TreeMath.VerifyDigitallySigned(Convert.FromBase64String(Log.Key), TreeMath.TreeHeadSignatureInput(timestamp, size, root), signature[12..]));

        var hashes = Sim.Record.Entries("static-0", 0, size - 1).Select(e => TreeMath.LeafHash(e.LeafInput)).ToList();
        Assert.Equal(TreeMath.Mth(hashes), root);
    }

    [Fact]
    public async Task Full_data_tile_holds_256_leaves_that_hash_to_the_level_0_tile()
    {
        var data = await GetBytesAsync("tile/data/001");
        var hashes = await GetBytesAsync("tile/0/001");
        Assert.Equal(8192, hashes.Length);
        var leaves = ReadTileLeaves(data);
        Assert.Equal(256, leaves.Count);
        for (var i = 0; i < 256; i++)
        {
            var index = 256 + i;
            var (entry, raw, precert, fingerprints) = leaves[i];
            Assert.Equal(hashes.AsSpan(i * 32, 32).ToArray(), TreeMath.LeafHash([0, 0, .. raw]));
            // static-ct-api leaf_index extension: type 0, length 5, 40-bit index.
            Assert.Equal(new byte[] { 0, 0, 5, 0, 0, 0, (byte)(index >> 8), (byte)index }, entry.Extensions);
            var recorded = Sim.Record.Entry("static-0", index)!;
            Assert.Equal(recorded.LeafInput[2..], raw);
            Assert.Equal(recorded.Type == "precert", precert is not null);
            Assert.Equal(2, fingerprints.Count);
            Assert.Equal(recorded.IssuerSha256, Convert.ToHexStringLower(fingerprints[0]));
        }
    }

    [Fact]
    public async Task Partial_tiles_serve_the_first_w_leaves_and_hashes_of_the_right_edge()
    {
        var partial = ReadTileLeaves(await GetBytesAsync("tile/data/002.p/88"));
        Assert.Equal(88, partial.Count);
        var narrower = ReadTileLeaves(await GetBytesAsync("tile/data/002.p/10"));
        Assert.Equal(partial.Take(10).Select(l => Convert.ToHexString(l.Raw)), narrower.Select(l => Convert.ToHexString(l.Raw)));
        var hashes = await GetBytesAsync("tile/0/002.p/88");
        Assert.Equal(88 * 32, hashes.Length);

        // The checkpoint root can be rebuilt from the tiles alone (what a verifying client does).
        var all = new List<byte[]>();
        foreach (var path in new[] { "tile/0/000", "tile/0/001", "tile/0/002.p/88" })
        {
            var tile = await GetBytesAsync(path);
            for (var i = 0; i < tile.Length; i += 32) all.Add(tile[i..(i + 32)]);
        }
        var checkpoint = (await Http.GetStringAsync(Log.Url.Under("checkpoint"))).Split('\n');
        Assert.Equal(Convert.FromBase64String(checkpoint[2]), TreeMath.Mth(all));
    }

    [Fact]
    public async Task Level_1_tiles_hold_the_hashes_of_complete_256_leaf_subtrees()
    {
        // 600 entries: two complete 256-leaf subtrees, so level 1 has a partial tile of width 2.
        var tile = await GetBytesAsync("tile/1/000.p/2");
        Assert.Equal(64, tile.Length);
        var leaves = Sim.Record.Entries("static-0", 0, 511).Select(e => TreeMath.LeafHash(e.LeafInput)).ToList();
        Assert.Equal(TreeMath.Mth(leaves[..256]), tile[..32]);
        Assert.Equal(TreeMath.Mth(leaves[256..]), tile[32..]);
    }

    [Fact]
    public async Task Issuers_are_served_by_the_lowercase_hex_sha256_of_their_der()
    {
        var fingerprints = ReadTileLeaves(await GetBytesAsync("tile/data/000")).SelectMany(l => l.Fingerprints).Select(Convert.ToHexStringLower).Distinct().ToList();
        Assert.Equal(4, fingerprints.Count); // two operators × (intermediate, root)
        foreach (var fp in fingerprints)
        {
            using var response = await Http.GetAsync(Log.Url.Under("issuer/" + fp));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("application/pkix-cert", response.Content.Headers.ContentType?.MediaType);
            var der = await response.Content.ReadAsByteArrayAsync();
            Assert.Equal(fp, Convert.ToHexStringLower(SHA256.HashData(der)));
            using var cert = System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificate(der);
            Assert.True(cert.Extensions.OfType<System.Security.Cryptography.X509Certificates.X509BasicConstraintsExtension>().Single().CertificateAuthority);

            using var upper = await Http.GetAsync(Log.Url.Under("issuer/" + fp.ToUpperInvariant()));
            Assert.Equal(HttpStatusCode.NotFound, upper.StatusCode);
        }
    }

    [Fact]
    public async Task Data_tiles_are_gzipped_for_clients_that_accept_gzip()
    {
        var identity = await GetBytesAsync("tile/data/000");
        using var request = new HttpRequestMessage(HttpMethod.Get, Log.Url.Under("tile/data/000"));
        request.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue("gzip"));
        using var response = await Http.SendAsync(request);
        Assert.Equal("gzip", Assert.Single(response.Content.Headers.ContentEncoding));
        await using var gzip = new GZipStream(await response.Content.ReadAsStreamAsync(), CompressionMode.Decompress);
        using var plain = new MemoryStream();
        await gzip.CopyToAsync(plain);
        Assert.Equal(identity, plain.ToArray());
        Assert.Empty((await Http.GetAsync(Log.Url.Under("tile/data/000"))).Content.Headers.ContentEncoding);
    }

    private async Task<byte[]> GetBytesAsync(string path)
    {
        using var response = await Http.GetAsync(Log.Url.Under(path));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/octet-stream", response.Content.Headers.ContentType?.MediaType);
        return await response.Content.ReadAsByteArrayAsync();
    }

    internal static List<(TimestampedEntry Entry, byte[] Raw, byte[]? Precert, List<byte[]> Fingerprints)> ReadTileLeaves(byte[] tile)
    {
        var r = new TlsReader(tile);
        var result = new List<(TimestampedEntry, byte[], byte[]?, List<byte[]>)>();
        while (!r.AtEnd)
        {
            var start = r.Offset;
            var entry = TimestampedEntry.Read(r);
            var raw = tile[start..r.Offset];
            var precert = entry.EntryType == 1 ? r.Opaque24() : null;
            var fps = r.Opaque16();
            Assert.Equal(0, fps.Length % 32);
            result.Add((entry, raw, precert, [.. fps.Chunk(32)]));
        }
        return result;
    }
}
