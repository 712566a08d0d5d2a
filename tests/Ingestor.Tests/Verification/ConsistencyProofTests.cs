using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text.Json;
using Certstream.Ingestor.Http;
using Certstream.Ingestor.Rfc6962;
using Certstream.Ingestor.Tiled;
using Certstream.Ingestor.Verification;
using Certstream.TestSupport;

namespace Certstream.Ingestor.Tests.Verification;

/// <summary>RFC 6962 §2.1.2 proofs: a real one from Argon2027h1, and proofs of trees hashed here the plain recursive way.</summary>
public sealed class ConsistencyProofTests
{
    private static byte[] Root(string file)
    {
        Assert.True(SignedTreeHead.TryParse(File.ReadAllBytes(RepoPaths.Fixture("rfc6962", file)), out var sth));
        return sth.RootHash.ToArray();
    }

    private static List<byte[]> ArgonProof() =>
        [.. ConsistencyResponse.TryParse(File.ReadAllBytes(RepoPaths.Fixture("rfc6962", "argon2027h1_get-sth-consistency_384065451_384071894.json")))!];

    // RFC 6962 §2.1: MTH of D[start:end] by the definition (split at the largest power of two below n).
    private static byte[] Mth(IReadOnlyList<byte[]> leaves, int start, int end)
    {
        if (end - start == 1) return leaves[start];
        var k = 1;
        while (k * 2 < end - start) k *= 2;
        return ConsistencyProof.NodeHash(Mth(leaves, start, start + k), Mth(leaves, start + k, end));
    }

    private static List<byte[]> LeafHashes(int count) =>
        [.. Enumerable.Range(0, count).Select(i =>
        {
            var leaf = new byte[9];
            BinaryPrimitives.WriteInt64BigEndian(leaf.AsSpan(1), i);
            return SHA256.HashData(leaf);
        })];

    [Fact]
    public void The_real_argon_proof_ties_its_two_signed_roots_and_fails_with_any_bit_changed()
    {
        var first = Root("argon2027h1_get-sth_384065451.json");
        var second = Root("argon2027h1_get-sth_384071894.json");
        var proof = ArgonProof();
        Assert.Equal(23, proof.Count);

        Assert.True(ConsistencyProof.Verify(384_065_451, 384_071_894, first, second, proof));
        Assert.False(ConsistencyProof.Verify(384_065_451, 384_071_894, second, first, proof));
        Assert.False(ConsistencyProof.Verify(384_065_450, 384_071_894, first, second, proof));
        for (var i = 0; i < proof.Count; i++)
        {
            var changed = proof.Select(p => (byte[])p.Clone()).ToList();
            changed[i][5] ^= 0x10;
            Assert.False(ConsistencyProof.Verify(384_065_451, 384_071_894, first, second, changed), $"node {i} changed");
        }
        Assert.False(ConsistencyProof.Verify(384_065_451, 384_071_894, first, second, proof[..^1]));
        Assert.False(ConsistencyProof.Verify(384_065_451, 384_071_894, first, second, [.. proof, proof[0]]));
    }

    [Fact]
    public void The_rfc_example_proof_from_3_to_7_leaves_is_c_d_g_l()
    {
        // RFC 6962 §2.1.3: c = leaf 2, d = leaf 3, g = leaves 0-1, l = leaves 4-6.
        Assert.Equal([(2UL, 3UL), (3UL, 4UL), (0UL, 2UL), (4UL, 7UL)], ConsistencyProof.Subtrees(3, 7));
        Assert.Equal([(4UL, 6UL)], ConsistencyProof.Subtrees(4, 6));
        Assert.Empty(ConsistencyProof.Subtrees(5, 5));
        Assert.Empty(ConsistencyProof.Subtrees(0, 5));
    }

    [Fact]
    public void Proofs_made_of_the_subtrees_verify_for_every_pair_of_sizes_up_to_70()
    {
        var leaves = LeafHashes(70);
        for (var n = 1; n <= 70; n++)
        {
            var secondRoot = Mth(leaves, 0, n);
            for (var m = 1; m <= n; m++)
            {
                var firstRoot = Mth(leaves, 0, m);
                var proof = ConsistencyProof.Subtrees((ulong)m, (ulong)n).Select(r => Mth(leaves, (int)r.Start, (int)r.End)).ToList();
                Assert.True(ConsistencyProof.Verify((ulong)m, (ulong)n, firstRoot, secondRoot, proof), $"{m} → {n}");
                if (m < n)
                {
                    // A tree whose leaf m-1 differs (a fork) is not an extension of the first one.
                    var forked = new List<byte[]>(leaves) { [m - 1] = SHA256.HashData("other"u8) };
                    var forkedProof = ConsistencyProof.Subtrees((ulong)m, (ulong)n).Select(r => Mth(forked, (int)r.Start, (int)r.End)).ToList();
                    Assert.False(ConsistencyProof.Verify((ulong)m, (ulong)n, firstRoot, Mth(forked, 0, n), forkedProof), $"forked {m} → {n}");
                }
            }
        }
    }

    [Fact]
    public void Edge_cases_follow_the_rfc()
    {
        var leaves = LeafHashes(8);
        var root5 = Mth(leaves, 0, 5);
        var root8 = Mth(leaves, 0, 8);

        Assert.True(ConsistencyProof.Verify(5, 5, root5, root5, []));
        Assert.False(ConsistencyProof.Verify(5, 5, root5, root8, []));
        Assert.False(ConsistencyProof.Verify(5, 5, root5, root5, [root5]));
        Assert.True(ConsistencyProof.Verify(0, 8, SHA256.HashData([]), root8, []));
        Assert.False(ConsistencyProof.Verify(8, 5, root8, root5, []));
        Assert.False(ConsistencyProof.Verify(5, 8, root5, root8, []));
    }

    [Theory]
    [InlineData(1UL, 70_000UL)]
    [InlineData(256UL, 65_536UL)]
    [InlineData(65_536UL, 70_000UL)]
    [InlineData(65_537UL, 69_999UL)]
    [InlineData(3_000UL, 70_000UL)]
    [InlineData(69_998UL, 70_000UL)]
    public async Task A_proof_built_from_hash_tiles_of_three_levels_verifies(ulong first, ulong second)
    {
        var leaves = LeafHashes(70_000);
        var tiles = new TileServer(leaves);
        var proofs = new HashTileProofs(tiles.GetAsync);

        var built = await proofs.TryBuildAsync(first, second, CancellationToken.None);

        Assert.True(built.Ok, built.Detail);
        Assert.True(ConsistencyProof.Verify(first, second, Mth(leaves, 0, (int)first), Mth(leaves, 0, (int)second), built.Value!));
        // The partial tiles asked for are those of the second size (width = (size >> 8L) - 256·N).
        Assert.All(tiles.Requested.Where(p => p.Contains(".p/", StringComparison.Ordinal)), p => Assert.Contains(p, TileServer.PartialPaths(second)));
    }

    [Fact]
    public async Task A_deleted_partial_tile_falls_back_to_the_full_tile_and_a_lying_tile_fails_the_proof()
    {
        var leaves = LeafHashes(70_000);
        // The log has grown to 70,000 and deleted the partial tiles whose full tile exists; the proof is for the checkpoint at 69,000.
        var tiles = new TileServer(leaves) { DeletesCompletedPartials = true };
        var built = await new HashTileProofs(tiles.GetAsync).TryBuildAsync(1_000, 69_000, CancellationToken.None);
        Assert.True(built.Ok, built.Detail);
        Assert.True(ConsistencyProof.Verify(1_000, 69_000, Mth(leaves, 0, 1_000), Mth(leaves, 0, 69_000), built.Value!));
        Assert.Contains(tiles.Requested, p => p.Contains(".p/", StringComparison.Ordinal));

        var lying = new TileServer(leaves) { Corrupt = true };
        var bad = await new HashTileProofs(lying.GetAsync).TryBuildAsync(1_000, 69_000, CancellationToken.None);
        Assert.True(bad.Ok);
        Assert.False(ConsistencyProof.Verify(1_000, 69_000, Mth(leaves, 0, 1_000), Mth(leaves, 0, 69_000), bad.Value!));
    }

    /// <summary>Hash tiles of a tree (c2sp.org/tlog-tiles), served by path as a static-ct log would.</summary>
    private sealed class TileServer
    {
        private readonly List<List<byte[]>> _levels = [];

        public TileServer(List<byte[]> leaves)
        {
            _levels.Add(leaves);
            while (_levels[^1].Count >= 256)
            {
                var below = _levels[^1];
                _levels.Add([.. Enumerable.Range(0, below.Count / 256).Select(i => Mth(below, i * 256, (i + 1) * 256))]);
            }
        }

        public bool DeletesCompletedPartials { get; init; }
        public bool Corrupt { get; init; }
        public List<string> Requested { get; } = [];

        public static IEnumerable<string> PartialPaths(ulong size)
        {
            for (var level = 0; size >> (8 * level) > 0; level++)
            {
                var nodes = size >> (8 * level);
                if (nodes % 256 != 0) yield return TilePath.Hash(level, nodes / 256, (int)(nodes % 256));
            }
        }

        public Task<Fetched> GetAsync(string path, CancellationToken cancellationToken)
        {
            Requested.Add(path);
            var parts = path.Split('/', 3);
            var level = int.Parse(parts[1], System.Globalization.CultureInfo.InvariantCulture);
            var rest = parts[2];
            var width = 256;
            var partial = rest.IndexOf(".p/", StringComparison.Ordinal);
            if (partial >= 0)
            {
                width = int.Parse(rest[(partial + 3)..], System.Globalization.CultureInfo.InvariantCulture);
                rest = rest[..partial];
            }
            var tile = int.Parse(rest.Replace("x", "", StringComparison.Ordinal).Replace("/", "", StringComparison.Ordinal), System.Globalization.CultureInfo.InvariantCulture);
            var hashes = level < _levels.Count ? _levels[level] : [];
            if (partial >= 0 && DeletesCompletedPartials && (tile + 1) * 256 <= hashes.Count) return Task.FromResult(Fetched.Failure(ErrorKind.NotFound, "HTTP 404"));
            if ((tile * 256) + width > hashes.Count) return Task.FromResult(Fetched.Failure(ErrorKind.NotFound, "HTTP 404"));
            var body = hashes.Skip(tile * 256).Take(width).SelectMany(h => h).ToArray();
            if (Corrupt) body[^1] ^= 1;
            return Task.FromResult(Fetched.Success(body, System.Net.HttpStatusCode.OK));
        }
    }
}
