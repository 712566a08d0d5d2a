using Certstream.Ingestor.Tiled;

namespace Certstream.Ingestor.Tests.Support;

/// <summary>
/// The production <see cref="TiledLeafConverter"/> behind the fake tiled log's synthetic issuers (the Navigli issuers are
/// not in the fixtures; see <see cref="TestTileLeafSource"/>): fingerprints are renamed to the synthetic ones for fetching
/// and back for converting, so the pipeline runs the real converter on the real tiles.
/// </summary>
internal sealed class SyntheticIssuerConverter : ITileLeafSource
{
    private readonly TiledLeafConverter _converter = new();

    public IReadOnlyCollection<string> IssuerFingerprints(ReadOnlyMemory<byte> tile, int width) =>
        [.. _converter.IssuerFingerprints(tile, width).Select(TestTileLeafSource.SyntheticFingerprint)];

    public IReadOnlyList<ConvertedLeaf> ToRfc6962(ReadOnlyMemory<byte> tile, int width, IReadOnlyDictionary<string, ReadOnlyMemory<byte>> issuers) =>
        _converter.ToRfc6962(tile, width, _converter.IssuerFingerprints(tile, width).ToDictionary(f => f, f => issuers[TestTileLeafSource.SyntheticFingerprint(f)]));

    /// <summary>What the fake log's tiles convert to, by index (issuers: the synthetic bodies).</summary>
    public static IReadOnlyList<ConvertedLeaf> Expected(FakeTiledLog log)
    {
        var converter = new TiledLeafConverter();
        var all = new List<ConvertedLeaf>();
        foreach (var (_, tile) in log.Tiles.OrderBy(t => t.Key))
        {
            var issuers = converter.IssuerFingerprints(tile, 256).ToDictionary(f => f, f => (ReadOnlyMemory<byte>)TestTileLeafSource.IssuerBody(f));
            all.AddRange(converter.ToRfc6962(tile, 256, issuers));
        }
        return all;
    }
}
