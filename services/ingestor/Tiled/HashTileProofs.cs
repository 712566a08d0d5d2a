using Certstream.Ingestor.Http;
using Certstream.Ingestor.Logs;
using Certstream.Ingestor.Verification;

namespace Certstream.Ingestor.Tiled;

/// <summary>
/// Builds the RFC 6962 consistency proof between two sizes of a static-ct log from its hash tiles (c2sp.org/tlog-tiles): hash i of
/// level L is the Merkle tree hash of leaves [i·256^L, (i+1)·256^L), so a complete subtree of height h is 2^(h mod 8) consecutive
/// hashes of level h/8 combined, and every proof node is a few such subtrees folded together. The tiles are not trusted: the
/// proof they make is checked against both signed roots (<see cref="ConsistencyProof.Verify"/>), which fails if any tile lies.
/// Full tiles never change and are kept for the next proof; partial ones are fetched anew.
/// </summary>
internal sealed class HashTileProofs(Func<string, CancellationToken, Task<Fetched>> get)
{
    private const int HashSize = 32;
    private const int MaxKeptTiles = 64;

    private readonly Dictionary<(int Level, ulong Tile), byte[]> _fullTiles = [];

    /// <summary>One try at the proof from <paramref name="first"/> to <paramref name="second"/> leaves; a failed tile fetch fails the try.</summary>
    public async Task<Attempt<IReadOnlyList<byte[]>>> TryBuildAsync(ulong first, ulong second, CancellationToken cancellationToken)
    {
        var tiles = new Dictionary<(int Level, ulong Tile), byte[]>();
        var proof = new List<byte[]>();
        foreach (var (start, end) in ConsistencyProof.Subtrees(first, second))
        {
            // MTH of [start, end): its complete subtrees from the largest, folded from the right (RFC 6962 §2.1).
            var parts = new List<byte[]>();
            var at = start;
            for (var height = 63; height >= 0; height--)
            {
                if (((end - start) & (1UL << height)) == 0) continue;
                var level = height / 8;
                var count = 1 << (height % 8);
                var index = at >> (8 * level);
                var tile = index / TileLayout.Width;
                if (!tiles.TryGetValue((level, tile), out var hashes))
                {
                    var fetched = await TryFetchTileAsync(level, tile, second, cancellationToken);
                    if (!fetched.Ok) return Attempt<IReadOnlyList<byte[]>>.Failure(fetched.Error, fetched.Detail, fetched.RetryAfter);
                    tiles[(level, tile)] = hashes = fetched.Value!;
                }
                var offset = (int)(index % TileLayout.Width);
                if ((offset + count) * HashSize > hashes.Length)
                    return Attempt<IReadOnlyList<byte[]>>.Failure(ErrorKind.Garbage, $"hash tile {level}/{tile} is too short");
                parts.Add(PerfectTreeHash(hashes.AsSpan(offset * HashSize, count * HashSize)));
                at += 1UL << height;
            }
            var node = parts[^1];
            for (var i = parts.Count - 2; i >= 0; i--) node = ConsistencyProof.NodeHash(parts[i], node);
            proof.Add(node);
        }
        return Attempt<IReadOnlyList<byte[]>>.Success(proof);
    }

    /// <summary>
    /// Tile <paramref name="tile"/> of level <paramref name="level"/> as a tree of <paramref name="treeSize"/> leaves has it: full when
    /// it is complete, else partial of width (size>>8L) − 256·tile; a deleted partial tile falls back to the full one (c2sp.org/tlog-tiles).
    /// </summary>
    private async Task<Attempt<byte[]>> TryFetchTileAsync(int level, ulong tile, ulong treeSize, CancellationToken cancellationToken)
    {
        var nodes = treeSize >> (8 * level);
        var full = (tile + 1) * TileLayout.Width <= nodes;
        if (full && _fullTiles.TryGetValue((level, tile), out var kept)) return Attempt<byte[]>.Success(kept);
        var width = full ? TileLayout.Width : (int)(nodes - tile * TileLayout.Width);
        var fetched = await get(TilePath.Hash(level, tile, width), cancellationToken);
        if (fetched.Error == ErrorKind.NotFound && !full)
            fetched = await get(TilePath.Hash(level, tile, TileLayout.Width), cancellationToken);
        if (!fetched.Ok) return Attempt<byte[]>.Failure(fetched);
        var body = fetched.Body!;
        if (body.Length != width * HashSize && body.Length != TileLayout.Width * HashSize)
            return Attempt<byte[]>.Failure(ErrorKind.Garbage, $"hash tile {level}/{tile} has {body.Length} bytes, expected {width * HashSize}");
        if (full)
        {
            if (_fullTiles.Count >= MaxKeptTiles) _fullTiles.Clear();
            _fullTiles[(level, tile)] = body;
        }
        return Attempt<byte[]>.Success(body);
    }

    // The root of a perfect tree over consecutive hashes (a power of two of them).
    private static byte[] PerfectTreeHash(ReadOnlySpan<byte> hashes)
    {
        var level = new List<byte[]>();
        for (var i = 0; i < hashes.Length; i += HashSize) level.Add(hashes.Slice(i, HashSize).ToArray());
        while (level.Count > 1)
        {
            var up = new List<byte[]>(level.Count / 2);
            for (var i = 0; i < level.Count; i += 2) up.Add(ConsistencyProof.NodeHash(level[i], level[i + 1]));
            level = up;
        }
        return level[0];
    }
}
