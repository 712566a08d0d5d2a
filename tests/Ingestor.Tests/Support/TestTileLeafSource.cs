using System.Security.Cryptography;
using System.Text;
using Certstream.Ingestor.Tiled;

namespace Certstream.Ingestor.Tests.Support;

/// <summary>
/// A stand-in for the Contracts tile decoder: <c>leaf_input</c> = <c>00 00</c> ‖ timestamped_entry (exact), and
/// <c>extra_data</c> = the issuers' bytes concatenated (not RFC 6962 form; the converter is not under test).
/// The Navigli fixture's issuer certificates are not in the fixtures, so each real fingerprint is mapped to a
/// synthetic issuer whose name is the SHA-256 of its body: the follower's fetch, hash check and cache are real.
/// </summary>
internal sealed class TestTileLeafSource : ITileLeafSource
{
    public static byte[] IssuerBody(string realFingerprint) => Encoding.ASCII.GetBytes("issuer:" + realFingerprint);

    public static string SyntheticFingerprint(string realFingerprint) => Convert.ToHexStringLower(SHA256.HashData(IssuerBody(realFingerprint)));

    public IReadOnlyCollection<string> IssuerFingerprints(ReadOnlyMemory<byte> tile, int width) =>
        TileLeafWalker.Walk(tile.Span, width).SelectMany(l => l.Fingerprints).Distinct().Select(SyntheticFingerprint).ToList();

    public IReadOnlyList<ConvertedLeaf> ToRfc6962(ReadOnlyMemory<byte> tile, int width, IReadOnlyDictionary<string, ReadOnlyMemory<byte>> issuers)
    {
        var converted = new List<ConvertedLeaf>(width);
        foreach (var leaf in TileLeafWalker.Walk(tile.Span, width))
        {
            var leafInput = new byte[2 + leaf.TimestampedEntryEnd - leaf.Start];
            tile.Span[leaf.Start..leaf.TimestampedEntryEnd].CopyTo(leafInput.AsSpan(2));
            var extra = leaf.Fingerprints.SelectMany(f => issuers[SyntheticFingerprint(f)].ToArray()).ToArray();
            converted.Add(new ConvertedLeaf(leafInput, extra));
        }
        return converted;
    }
}
