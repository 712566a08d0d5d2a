using System.Security.Cryptography;
using System.Text.Json;

namespace Certstream.EndToEnd.Tests.Harness;

/// <summary>
/// What a certificate_update message must say about a simulator entry: the fields clients index into
/// (docs/format.md) checked against the simulator's record, with the DER taken from the entry itself.
/// Returns the differences as text so one assertion can list them all.
/// </summary>
internal static class EntryExpectations
{
    /// <summary>SAN dNSNames in order without exact duplicates, then the CN if non-empty and not listed (leaves are not CAs).</summary>
    public static IReadOnlyList<string> AllDomains(SimEntry entry)
    {
        var domains = new List<string>();
        foreach (var name in entry.DnsNames)
        {
            if (!domains.Contains(name)) domains.Add(name);
        }
        if (!string.IsNullOrEmpty(entry.SubjectCn) && !domains.Contains(entry.SubjectCn)) domains.Add(entry.SubjectCn);
        return domains;
    }

    /// <summary>The DER the hashes and as_der describe: the x509 certificate, or the submitted precertificate.</summary>
    public static byte[] HashedDer(SimEntry entry)
    {
        if (entry.Type == "precert")
        {
            // PrecertChainEntry: pre_certificate<1..2^24-1>, certificate_chain<0..2^24-1> (RFC 6962 §3.1).
            return entry.ExtraData.AsSpan(3, Uint24(entry.ExtraData, 0)).ToArray();
        }
        // MerkleTreeLeaf: version, leaf_type, timestamp(8), entry_type(2), then ASN.1Cert<1..2^24-1>.
        return entry.LeafInput.AsSpan(15, Uint24(entry.LeafInput, 12)).ToArray();
    }

    /// <summary>How many certificates the entry's chain holds (certificate_chain in extra_data).</summary>
    public static int ChainLength(SimEntry entry)
    {
        var at = entry.Type == "precert" ? 3 + Uint24(entry.ExtraData, 0) : 0;
        var end = at + 3 + Uint24(entry.ExtraData, at);
        var count = 0;
        for (at += 3; at < end; at += 3 + Uint24(entry.ExtraData, at)) count++;
        return count;
    }

    /// <summary>Differences between a lite or full message and the entry (empty when it matches).</summary>
    public static IReadOnlyList<string> Compare(JsonElement message, SimLog log, SimEntry entry, bool full)
    {
        var problems = new List<string>();
        void Check(bool ok, string what)
        {
            if (!ok) problems.Add($"{log.Name}#{entry.Index}: {what}");
        }

        Check(message.GetProperty("message_type").GetString() == "certificate_update", "message_type");
        var data = message.GetProperty("data");
        Check(data.GetProperty("cert_index").GetInt64() == entry.Index, "cert_index");
        var updateType = data.GetProperty("update_type").GetString();
        Check(updateType == (entry.Type == "precert" ? "PrecertLogEntry" : "X509LogEntry"), $"update_type {updateType} for a {entry.Type} entry");
        var source = data.GetProperty("source");
        Check(source.GetProperty("url").GetString() == log.SourceUrl, $"source.url {source.GetProperty("url")}");
        Check(source.GetProperty("name").GetString() == log.Description, $"source.name {source.GetProperty("name")} (log list: {log.Description})");
        var certLink = data.GetProperty("cert_link").GetString();
        Check(log.IsRfc6962 ? certLink == $"{log.SourceUrl}/ct/v1/get-entries?start={entry.Index}&end={entry.Index}" : certLink == "",
            $"cert_link \"{certLink}\"");
        Check(data.GetProperty("seen").ValueKind == JsonValueKind.Number, "seen is not a number");

        var leaf = data.GetProperty("leaf_cert");
        var domains = leaf.GetProperty("all_domains").EnumerateArray().Select(d => d.GetString()!).ToList();
        var expectedDomains = AllDomains(entry);
        Check(domains.SequenceEqual(expectedDomains), $"all_domains [{string.Join(",", domains)}], SANs+CN [{string.Join(",", expectedDomains)}]");
        var serial = leaf.GetProperty("serial_number").GetString()!;
        Check(Serial(serial) == Serial(entry.SerialNumber), $"serial_number {serial}, simulator {entry.SerialNumber}");

        var der = HashedDer(entry);
        var sha256 = leaf.GetProperty("sha256").GetString()!;
        Check(Hex(sha256) == Hex(entry.Sha256), $"sha256 {sha256}, simulator {entry.Sha256}");
        Check(Hex(sha256) == Convert.ToHexString(SHA256.HashData(der)), $"sha256 {sha256} is not the hash of the entry's DER");
#pragma warning disable CA5350 // the fingerprint format clients expect
        var sha1 = Convert.ToHexString(SHA1.HashData(der));
#pragma warning restore CA5350
        Check(Hex(leaf.GetProperty("fingerprint").GetString()!) == sha1, "fingerprint is not the SHA-1 of the entry's DER");

        var hasChain = data.TryGetProperty("chain", out var chain);
        var hasDer = leaf.TryGetProperty("as_der", out var asDer);
        if (full)
        {
            Check(hasDer && asDer.GetString() == Convert.ToBase64String(der), "as_der is not the entry's DER");
            Check(hasChain && chain.GetArrayLength() == ChainLength(entry), $"chain has {(hasChain ? chain.GetArrayLength() : -1)} elements, entry {ChainLength(entry)}");
        }
        else
        {
            Check(!hasChain, "lite message has a chain");
            Check(!hasDer, "lite message has as_der");
        }
        return problems;
    }

    /// <summary>Hex without separators, upper case.</summary>
    public static string Hex(string text) => text.Replace(":", "", StringComparison.Ordinal).ToUpperInvariant();

    /// <summary>A serial's hex with leading zeros dropped (the reference pads odd lengths with one '0').</summary>
    public static string Serial(string text) => Hex(text).TrimStart('0');

    private static int Uint24(byte[] bytes, int at) => (bytes[at] << 16) | (bytes[at + 1] << 8) | bytes[at + 2];
}
