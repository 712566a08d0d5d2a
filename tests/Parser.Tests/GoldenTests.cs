using System.Text;
using System.Text.RegularExpressions;
using System.Text.Json.Nodes;
using Certstream.Parser.Messages;

namespace Certstream.Parser.Tests;

/// <summary>Our messages equal certstream-server-go's for every golden entry, after exactly the documented differences.</summary>
public sealed class GoldenTests
{
    private readonly CertificateOracle _oracle = new();

    public static TheoryData<int> RfcIndices() => [0, 1, 2, 3, 4, 5, 6, 7];

    [Theory]
    [MemberData(nameof(RfcIndices))]
    public void Rfc6962_entry_matches_the_peer_in_all_three_streams(int index)
    {
        var peerFull = JsonNode.Parse(File.ReadLines(GoldenLog.GoldenFile("rfc6962-full.jsonl")).ElementAt(index))!.AsObject();
        var peerLite = JsonNode.Parse(File.ReadLines(GoldenLog.GoldenFile("rfc6962-lite.jsonl")).ElementAt(index))!.AsObject();
        var peerDomains = JsonNode.Parse(File.ReadLines(GoldenLog.GoldenFile("rfc6962-domains.jsonl")).ElementAt(index))!.AsObject();

        using var writer = new MessageWriter();
        Assert.Equal(EntryRejection.None, writer.Write(GoldenLog.RfcInput(index, GoldenLog.RfcEntries()[index])));
        var (full, lite, domains) = Parse(writer);

        // The oracle reads names and EKU from the peer's own as_der (a precert's is the submitted pre_certificate).
        var leafDer = Convert.FromBase64String((string)peerFull["data"]!["leaf_cert"]!["as_der"]!);
        var chainDer = peerFull["data"]!["chain"]!.AsArray().Select(c => Convert.FromBase64String((string)c!["as_der"]!)).ToList();

        DocumentedDifferences.ApplyToPeer(peerFull, full, _oracle, leafDer, chainDer, tiledPreCertificate: null, full: true);
        DocumentedDifferences.ApplyToPeer(peerLite, lite, _oracle, leafDer, [], tiledPreCertificate: null, full: false);
        DocumentedDifferences.ApplyToPeerDomains(peerDomains);

        AssertSame("full", peerFull, full);
        AssertSame("lite", peerLite, lite);
        AssertSame("domains", peerDomains, domains);
    }

    /// <summary>
    /// Byte for byte, where the documented differences are only `seen` and the added extendedKeyUsage: this
    /// catches escaping and number formatting that a parsed comparison cannot see.
    /// Entry 0 is the one whose names need no correction (the others differ in ST or CN by design).
    /// </summary>
    [Theory]
    [InlineData(0)]
    public void Rfc6962_full_and_lite_bytes_equal_the_peer_apart_from_seen_and_extended_key_usage(int index)
    {
        using var writer = new MessageWriter();
        Assert.Equal(EntryRejection.None, writer.Write(GoldenLog.RfcInput(index, GoldenLog.RfcEntries()[index])));
        foreach (var (file, ours) in new[] { ("rfc6962-full.jsonl", writer.Full), ("rfc6962-lite.jsonl", writer.Lite) })
        {
            var peer = File.ReadLines(GoldenLog.GoldenFile(file)).ElementAt(index) + "\n";
            var text = Encoding.UTF8.GetString(ours.Span);
            text = Regex.Replace(text, "\"extendedKeyUsage\":\"[^\"]*\",", "");
            text = Regex.Replace(text, "\"seen\":[0-9.]+", Regex.Match(peer, "\"seen\":[0-9.]+").Value);
            Assert.Equal(peer, text);
        }
    }

    [Fact]
    public void Tiled_entries_match_the_peer_in_full_and_domains_streams()
    {
        var peerFull = File.ReadAllLines(GoldenLog.GoldenFile("navigli-tiled-full.jsonl"));
        var peerDomains = File.ReadAllLines(GoldenLog.GoldenFile("navigli-tiled-domains.jsonl"));
        var entries = GoldenLog.TiledEntries();
        Assert.Equal(1024, entries.Count);
        Assert.Equal(1023, peerFull.Length); // the peer skips entry 0 (README)

        using var writer = new MessageWriter();
        var failures = new StringBuilder();
        var matched = 0;
        for (var i = 0; i < peerFull.Length; i++)
        {
            var peer = JsonNode.Parse(peerFull[i])!.AsObject();
            var index = (int)peer["data"]!["cert_index"]!;
            var (input, preCertificate) = entries[index];
            Assert.Equal(EntryRejection.None, writer.Write(input));
            var (full, lite, domains) = Parse(writer);

            var peerLite = peer.DeepClone().AsObject(); // the peer's tiled lite output is byte-identical to its full
            DocumentedDifferences.ApplyToPeer(peer, full, _oracle, preCertificate, [], preCertificate, full: true);
            DocumentedDifferences.ApplyToPeer(peerLite, lite, _oracle, preCertificate, [], preCertificate, full: false);
            var peerDomain = JsonNode.Parse(peerDomains[i])!.AsObject();
            DocumentedDifferences.ApplyToPeerDomains(peerDomain);

            var diff = Describe("full", peer, full) + Describe("lite", peerLite, lite) + Describe("domains", peerDomain, domains);
            if (diff.Length == 0)
                matched++;
            else if (failures.Length < 4000)
                failures.Append($"entry {index}:\n{diff}");
        }
        Assert.True(matched == peerFull.Length, $"{matched}/{peerFull.Length} tiled entries match\n{failures}");
    }

    internal static (JsonObject Full, JsonObject Lite, JsonObject Domains) Parse(MessageWriter writer)
    {
        var fullText = Encoding.UTF8.GetString(writer.Full.Span);
        Assert.EndsWith("}\n", fullText, StringComparison.Ordinal);
        Assert.EndsWith("}\n", Encoding.UTF8.GetString(writer.Lite.Span), StringComparison.Ordinal);
        Assert.EndsWith("}", Encoding.UTF8.GetString(writer.Domains.Span), StringComparison.Ordinal);
        return (JsonNode.Parse(writer.Full.Span)!.AsObject(), JsonNode.Parse(writer.Lite.Span)!.AsObject(), JsonNode.Parse(writer.Domains.Span)!.AsObject());
    }

    private static string Describe(string variant, JsonNode expected, JsonNode actual)
    {
        var diff = JsonComparison.Difference(expected, actual);
        return diff is null ? "" : $" {variant}:\n{diff}";
    }

    private static void AssertSame(string variant, JsonNode expected, JsonNode actual)
    {
        var diff = JsonComparison.Difference(expected, actual);
        Assert.True(diff is null, $"{variant} differs from the peer:\n{diff}");
    }
}
