using System.Net;
using System.Text;
using System.Text.Json;

namespace Certstream.CtLogSim.Tests;

/// <summary>Logs that misbehave when asked (<c>/_sim/misbehave</c>): heads with a bad signature, and a forked tree.</summary>
public sealed class MisbehaviourTests : IAsyncLifetime
{
    private const int InitialSize = 300;
    private CtLogSimulator _sim = null!;
    private readonly HttpClient _http = TestHttp.NewClient();

    public async Task InitializeAsync() =>
        _sim = await CtLogSimulator.StartAsync(new CtLogSimOptions { Rfc6962Logs = 1, TiledLogs = 1, InitialSize = InitialSize, Seed = 11 }, CancellationToken.None);

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _sim.DisposeAsync();
    }

    private async Task<(long Size, byte[] Root, bool Verifies)> SthAsync(SimLogInfo log)
    {
        var sth = await _http.GetJsonAsync(log.Url.Under("ct/v1/get-sth"));
        var size = sth.GetProperty("tree_size").GetInt64();
        var root = sth.GetProperty("sha256_root_hash").GetBytesFromBase64();
        var input = TreeMath.TreeHeadSignatureInput(sth.GetProperty("timestamp").GetInt64(), size, root);
        return (size, root, TreeMath.VerifyDigitallySigned(Convert.FromBase64String(log.Key), input, sth.GetProperty("tree_head_signature").GetBytesFromBase64()));
    }

    // The checkpoint's RFC 6962 note signature: 4-byte key ID, 8-byte timestamp, DigitallySigned (c2sp.org/static-ct-api).
    private async Task<(long Size, byte[] Root, bool Verifies)> CheckpointAsync(SimLogInfo log)
    {
        var lines = (await _http.GetStringAsync(log.Url.Under("checkpoint"))).Split('\n');
        var size = long.Parse(lines[1], System.Globalization.CultureInfo.InvariantCulture);
        var root = Convert.FromBase64String(lines[2]);
        var signature = Convert.FromBase64String(lines[4].Split(' ')[2]);
        var timestamp = System.Buffers.Binary.BinaryPrimitives.ReadInt64BigEndian(signature.AsSpan(4));
        var input = TreeMath.TreeHeadSignatureInput(timestamp, size, root);
        return (size, root, TreeMath.VerifyDigitallySigned(Convert.FromBase64String(log.Key), input, signature[12..]));
    }

    private async Task<JsonElement> MisbehaveAsync(string log, string query)
    {
        using var response = await _http.PostAsync(new Uri(_sim.BaseUrl, $"_sim/misbehave/{log}?{query}"), null);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.Clone();
    }

    [Fact]
    public async Task Bad_signatures_are_served_while_asked_for_on_both_kinds_of_log()
    {
        var rfc = _sim.Log("rfc6962-0");
        var tiled = _sim.Log("static-0");
        Assert.True((await SthAsync(rfc)).Verifies);
        Assert.True((await CheckpointAsync(tiled)).Verifies);

        Assert.True((await MisbehaveAsync(rfc.Name, "bad_signature=true")).GetProperty("bad_signature").GetBoolean());
        await MisbehaveAsync(tiled.Name, "bad_signature=true");
        Assert.False((await SthAsync(rfc)).Verifies);
        Assert.False((await CheckpointAsync(tiled)).Verifies);

        await MisbehaveAsync(rfc.Name, "bad_signature=false");
        await MisbehaveAsync(tiled.Name, "bad_signature=false");
        Assert.True((await SthAsync(rfc)).Verifies);
        Assert.True((await CheckpointAsync(tiled)).Verifies);
    }

    [Fact]
    public async Task A_fork_serves_signed_heads_tiles_and_proofs_of_a_tree_whose_first_leaf_differs()
    {
        var rfc = _sim.Log("rfc6962-0");
        var tiled = _sim.Log("static-0");
        var before = await SthAsync(rfc);
        var checkpointBefore = await CheckpointAsync(tiled);

        Assert.True((await MisbehaveAsync(rfc.Name, "fork=true")).GetProperty("forked").GetBoolean());
        await MisbehaveAsync(tiled.Name, "fork=true");
        await _sim.AppendAsync(rfc.Name, 20, CancellationToken.None);
        await _sim.AppendAsync(tiled.Name, 20, CancellationToken.None);

        var leaves = _sim.Record.Entries(rfc.Name, 0, InitialSize + 19).Select(e => e.LeafHash).ToList();
        var after = await SthAsync(rfc);
        Assert.True(after.Verifies); // A fork is signed like any head.
        Assert.Equal(InitialSize + 20, after.Size);
        Assert.NotEqual(TreeMath.Mth(leaves), after.Root);
        // The proof is made of another tree's nodes than the real one's.
        var proof = (await _http.GetJsonAsync(rfc.Url.Under($"ct/v1/get-sth-consistency?first={before.Size}&second={after.Size}")))
            .GetProperty("consistency").EnumerateArray().Select(n => n.GetBytesFromBase64()).ToList();
        Assert.Equal(TreeMath.ConsistencyProof(leaves, (int)before.Size, (int)after.Size).Count, proof.Count);
        Assert.NotEqual(TreeMath.ConsistencyProof(leaves, (int)before.Size, (int)after.Size), proof);
        Assert.Equal(before.Root, TreeMath.Mth(leaves.Take((int)before.Size).ToList()));

        // The static-ct log's level-0 hash tile shows another leaf 0, and the rest unchanged.
        var tiledLeaves = _sim.Record.Entries(tiled.Name, 0, 255).Select(e => e.LeafHash).ToList();
        var tile = await _http.GetByteArrayAsync(tiled.Url.Under("tile/0/000"));
        Assert.NotEqual(tiledLeaves[0], tile[..32]);
        Assert.Equal(tiledLeaves.Skip(1).SelectMany(h => h).ToArray(), tile[32..]);
        var checkpointAfter = await CheckpointAsync(tiled);
        Assert.True(checkpointAfter.Verifies);
        List<byte[]> forked = [tile[..32], .. tiledLeaves.Skip(1), .. _sim.Record.Entries(tiled.Name, 256, InitialSize + 19).Select(e => e.LeafHash)];
        Assert.Equal(TreeMath.Mth(forked), checkpointAfter.Root);
        Assert.NotEqual(checkpointBefore.Root, TreeMath.Mth(forked.Take((int)checkpointBefore.Size).ToList()));
    }

    [Fact]
    public async Task Unknown_logs_and_values_are_refused()
    {
        using var unknown = await _http.PostAsync(new Uri(_sim.BaseUrl, "_sim/misbehave/nope?fork=true"), null);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        using var bad = await _http.PostAsync(new Uri(_sim.BaseUrl, "_sim/misbehave/rfc6962-0?bad_signature=maybe"), null);
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.False(_sim.Find("rfc6962-0").BadSignature);
    }
}
