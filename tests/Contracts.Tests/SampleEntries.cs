using System.Buffers;
using System.Text.Json;
using Certstream.TestSupport;

namespace Certstream.Contracts.Tests;

/// <summary>Real CT entries from the shared fixtures, as RawEntry values and encoded messages.</summary>
internal static class SampleEntries
{
    public const string ArgonUrl = "https://ct.googleapis.com/logs/us1/argon2027h1/";

    /// <summary>Every (leaf_input, extra_data) of every get-entries fixture, with where it came from.</summary>
    public static IEnumerable<(string Source, byte[] LeafInput, byte[] ExtraData)> GetEntries()
    {
        foreach (var path in Directory.GetFiles(RepoPaths.Fixture("rfc6962"), "*get-entries*.json").Order(StringComparer.Ordinal))
        {
            using var json = JsonDocument.Parse(File.ReadAllBytes(path));
            var i = 0;
            foreach (var entry in json.RootElement.GetProperty("entries").EnumerateArray())
            {
                yield return ($"{Path.GetFileName(path)}[{i++}]",
                    Convert.FromBase64String(entry.GetProperty("leaf_input").GetString()!),
                    Convert.FromBase64String(entry.GetProperty("extra_data").GetString()!));
            }
        }
        foreach (var kind in new[] { "x509", "precert" })
        {
            var prefix = RepoPaths.Fixture("rfc6962", $"ctgo_{kind}_entry");
            yield return ($"ctgo_{kind}_entry",
                Convert.FromBase64String(File.ReadAllText(prefix + ".leaf_input.b64").Trim()),
                Convert.FromBase64String(File.ReadAllText(prefix + ".extra_data.b64").Trim()));
        }
    }

    /// <summary>Argon2027h1's entry 380000003 (a precert) as the ingestor would publish it.</summary>
    public static RawEntry Argon()
    {
        var (_, leaf, extra) = GetEntries().First(e => e.Source.StartsWith("argon2027h1", StringComparison.Ordinal));
        return new RawEntry
        {
            Log = LogKey.FromUrl(ArgonUrl),
            Url = ArgonUrl,
            Name = "Google 'Argon2027h1'",
            Operator = "Google",
            Type = LogType.Rfc6962,
            Index = 380000003,
            LeafInput = leaf,
            ExtraData = extra,
            FetchedAt = 1791346973.252,
        };
    }

    public static byte[] Encode(RawEntry entry)
    {
        var output = new ArrayBufferWriter<byte>();
        RawEntryCodec.Write(output, entry);
        return output.WrittenSpan.ToArray();
    }
}
