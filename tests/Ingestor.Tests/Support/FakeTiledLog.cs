using System.Collections.Concurrent;
using Certstream.TestSupport;

namespace Certstream.Ingestor.Tests.Support;

/// <summary>
/// The state of one fake static-ct log served by <see cref="FakeCtLogServer"/>: the four real Navigli data tiles
/// (1,024 entries), partial tiles cut from them, synthetic issuers (see <see cref="TestTileLeafSource"/>).
/// </summary>
internal sealed class FakeTiledLog
{
    private long _treeSize;

    public FakeTiledLog(string name, ulong treeSize)
    {
        Name = name;
        _treeSize = (long)treeSize;
        for (var t = 0; t < 4; t++)
            Tiles[(ulong)t] = File.ReadAllBytes(RepoPaths.Fixture("static-ct", "navigli2025h2", "tile", "data", $"{t:000}"));
        foreach (var fingerprint in Tiles.Values.SelectMany(t => TileLeafWalker.Walk(t, 256)).SelectMany(l => l.Fingerprints).Distinct())
            Issuers[TestTileLeafSource.SyntheticFingerprint(fingerprint)] = TestTileLeafSource.IssuerBody(fingerprint);
    }

    public string Name { get; }
    public ulong TreeSize
    {
        get => (ulong)Interlocked.Read(ref _treeSize);
        set => Interlocked.Exchange(ref _treeSize, (long)value);
    }

    /// <summary>Serve data tiles with <c>Content-Encoding: gzip</c>.</summary>
    public bool Gzip { get; init; }

    public Dictionary<ulong, byte[]> Tiles { get; } = [];
    public Dictionary<string, byte[]> Issuers { get; } = new(StringComparer.Ordinal);
    public CountSignal CheckpointRequests { get; } = new();
    public ConcurrentQueue<string> TileRequests { get; } = new();
    public ConcurrentQueue<string> IssuerRequests { get; } = new();

    /// <summary>Serves a data tile path (<c>x001/234</c> or <c>003.p/10</c>) as a real log would for the current size; null is 404.</summary>
    public byte[]? Tile(string path)
    {
        TileRequests.Enqueue(path);
        var width = 256;
        var partial = path.IndexOf(".p/", StringComparison.Ordinal);
        if (partial >= 0)
        {
            if (!int.TryParse(path[(partial + 3)..], out width) || width is < 1 or > 255) return null;
            path = path[..partial];
        }
        if (!ulong.TryParse(path.Replace("x", "", StringComparison.Ordinal).Replace("/", "", StringComparison.Ordinal), out var tile)) return null;
        if (!Tiles.TryGetValue(tile, out var full) || (tile * 256) + (ulong)width > TreeSize) return null;
        if (width == 256) return full;
        // Like some real logs, drop a partial tile once the full one exists (c2sp.org/tlog-tiles).
        if ((tile + 1) * 256 <= TreeSize) return null;
        var leaves = TileLeafWalker.Walk(full, width);
        return full[..leaves[^1].End];
    }
}
