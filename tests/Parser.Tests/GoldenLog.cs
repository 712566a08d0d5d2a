using System.Runtime.InteropServices;
using System.Text.Json.Nodes;
using Certstream.Contracts;
using Certstream.Contracts.Ct;
using Certstream.Contracts.Rfc6962;
using Certstream.Parser.Messages;
using Certstream.TestSupport;

namespace Certstream.Parser.Tests;

/// <summary>The fixture entries as the peer read them (golden README): the same URLs, names and order.</summary>
internal static class GoldenLog
{
    public const string RfcUrl = "http://127.0.0.1:18090/gold/";
    public const string RfcName = "Golden RFC6962 Log";
    public const string TiledUrl = "http://127.0.0.1:18090/tgold/";
    public const string TiledName = "Navigli2025h2 (fixture)";
    public const string Operator = "Acceptance Operator";

    public static string GoldenFile(string name) => RepoPaths.Fixture("golden", "certstream-server-go", name);

    /// <summary>Entries 0..7 of the golden RFC 6962 log as (leaf_input, extra_data).</summary>
    public static IReadOnlyList<(byte[] LeafInput, byte[] ExtraData)> RfcEntries()
    {
        var entries = new List<(byte[], byte[])>();
        foreach (var file in new[] { "argon2027h1_get-entries_380000003-380000004.json", "ctgo_scanner_FourEntries_get-entries.json" })
        {
            var json = JsonNode.Parse(File.ReadAllText(RepoPaths.Fixture("rfc6962", file)))!;
            foreach (var e in json["entries"]!.AsArray())
                entries.Add((Convert.FromBase64String((string)e!["leaf_input"]!), Convert.FromBase64String((string)e["extra_data"]!)));
        }
        foreach (var stem in new[] { "ctgo_precert_entry", "ctgo_x509_entry" })
        {
            entries.Add((
                Convert.FromBase64String(File.ReadAllText(RepoPaths.Fixture("rfc6962", stem + ".leaf_input.b64")).Trim()),
                Convert.FromBase64String(File.ReadAllText(RepoPaths.Fixture("rfc6962", stem + ".extra_data.b64")).Trim())));
        }
        return entries;
    }

    public static RawEntry RfcInput(int index, (byte[] LeafInput, byte[] ExtraData) entry, double fetchedAt = 1795319312.616) =>
        TestEntries.Raw(RfcUrl, RfcName, Operator, LogType.Rfc6962, (ulong)index, entry.LeafInput, entry.ExtraData, fetchedAt);

    public static byte[] DataTile(int n) => File.ReadAllBytes(RepoPaths.Fixture("static-ct", "navigli2025h2", "tile", "data", n.ToString("000", System.Globalization.CultureInfo.InvariantCulture)));

    /// <summary>Every leaf of data tiles 000..003 converted to RFC 6962 form, with its pre_certificate.</summary>
    public static IReadOnlyList<(RawEntry Input, byte[] PreCertificate)> TiledEntries(IIssuerSource? issuers = null)
    {
        var result = new List<(RawEntry, byte[])>();
        for (var tile = 0; tile < 4; tile++)
        {
            var data = DataTile(tile);
            var reader = new TileReader(data);
            while (reader.TryReadNext(out var leaf))
            {
                var index = (ulong)(tile * 256 + reader.Count - 1);
                var chain = IssuerChain.Resolve(leaf, issuers, out _);
                var (leafInput, extraData) = TileLeafConversion.ToRfc6962(leaf, CollectionsMarshal.AsSpan(chain));
                result.Add((TestEntries.Raw(TiledUrl, TiledName, Operator, LogType.Tiled, index, leafInput, extraData, 1795319220.919), leaf.PreCertificate.ToArray()));
            }
            Assert.Equal(CtRejection.None, reader.Rejection);
        }
        return result;
    }
}
