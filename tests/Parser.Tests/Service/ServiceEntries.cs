using System.Buffers;
using System.Text;
using System.Text.Json;
using Certstream.Contracts;
using Certstream.Parser.Messages;
using Certstream.TestSupport;

namespace Certstream.Parser.Tests.Service;

/// <summary>RawEntries built from the real RFC 6962 fixtures, spread over two logs, and what MessageWriter makes of them.</summary>
internal static class ServiceEntries
{
    public static readonly (string Url, string Name, string Operator)[] Logs =
    [
        ("https://ct.googleapis.com/logs/us1/argon2027h1/", "Google 'Argon2027h1'", "Google"),
        ("https://ct.example.net/2026/", "Example \"2026\" log", "Example"),
    ];

    private static readonly Lazy<List<(byte[] LeafInput, byte[] ExtraData)>> FixtureLeaves = new(LoadFixtures);

    public static int FixtureCount => FixtureLeaves.Value.Count;

    /// <summary>Entry i: fixture i mod F, log i mod 2, index <paramref name="firstIndex"/> + i.</summary>
    public static List<RawEntry> Make(int count, ulong firstIndex = 1000)
    {
        var fixtures = FixtureLeaves.Value;
        var entries = new List<RawEntry>(count);
        for (var i = 0; i < count; i++)
        {
            var (url, name, op) = Logs[i % Logs.Length];
            var (leaf, extra) = fixtures[i % fixtures.Count];
            entries.Add(new RawEntry
            {
                Log = LogKey.FromUrl(url),
                Url = url,
                Name = name,
                Operator = op,
                Type = LogType.Rfc6962,
                Index = firstIndex + (ulong)i,
                LeafInput = leaf,
                ExtraData = extra,
                FetchedAt = 1795319312.616 + i / 1000.0,
            });
        }
        return entries;
    }

    public static byte[] Encode(RawEntry entry)
    {
        var buffer = new ArrayBufferWriter<byte>();
        RawEntryCodec.Write(buffer, entry);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>The three messages MessageWriter makes for the entry, with their subjects.</summary>
    public static List<(string Subject, string Data)> Expected(RawEntry entry)
    {
        using var writer = new MessageWriter();
        Assert.Equal(EntryRejection.None, writer.Write(entry));
        return
        [
            (Subjects.Full(entry.Log), Encoding.UTF8.GetString(writer.Full.Span)),
            (Subjects.Lite(entry.Log), Encoding.UTF8.GetString(writer.Lite.Span)),
            (Subjects.Domains(entry.Log), Encoding.UTF8.GetString(writer.Domains.Span)),
        ];
    }

    /// <summary>The entry's leaf as CT_UNIQUE names it (README "Unique certificates").</summary>
    public static string LeafId(RawEntry entry)
    {
        using var writer = new MessageWriter();
        Assert.Equal(EntryRejection.None, writer.Write(entry));
        return (writer.IsPrecert ? "precert:" : "x509:") + Convert.ToHexStringLower(writer.LeafHash);
    }

    /// <summary>(log, cert_index) of a full or lite message.</summary>
    public static (string Log, ulong Index) Identify(string subject, ReadOnlyMemory<byte> data)
    {
        using var json = JsonDocument.Parse(data);
        var index = json.RootElement.GetProperty("data").GetProperty("cert_index").GetUInt64();
        return (subject[(subject.LastIndexOf('.') + 1)..], index);
    }

    private static List<(byte[], byte[])> LoadFixtures()
    {
        var result = new List<(byte[], byte[])>();
        foreach (var file in Directory.GetFiles(Path.Combine(RepoPaths.Fixtures, "rfc6962"), "*get-entries*.json").Order(StringComparer.Ordinal))
        {
            using var json = JsonDocument.Parse(File.ReadAllText(file));
            foreach (var e in json.RootElement.GetProperty("entries").EnumerateArray())
                result.Add((e.GetProperty("leaf_input").GetBytesFromBase64(), e.GetProperty("extra_data").GetBytesFromBase64()));
        }
        foreach (var stem in new[] { "ctgo_precert_entry", "ctgo_x509_entry" })
        {
            result.Add((Convert.FromBase64String(File.ReadAllText(RepoPaths.Fixture("rfc6962", stem + ".leaf_input.b64")).Trim()),
                Convert.FromBase64String(File.ReadAllText(RepoPaths.Fixture("rfc6962", stem + ".extra_data.b64")).Trim())));
        }
        Assert.True(result.Count >= 8, $"expected the 8 RFC 6962 fixture entries, found {result.Count}");
        return result;
    }
}
