using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Certstream.Contracts;
using Certstream.Contracts.Ct;
using Certstream.Contracts.Rfc6962;
using Certstream.Parser.Messages;
using Certstream.TestSupport;

namespace Certstream.Bench;

/// <summary>
/// Decode + all three message variants for the real fixture entries (8 RFC 6962 entries with chains, 1,024 tiled
/// precerts converted as the ingestor does), on one thread. Prints entries/s and allocation against output size.
/// </summary>
internal static class ParserBench
{
    public static int Run(TimeSpan duration)
    {
        var fixtures = RepoPaths.Fixtures;
        var all = new List<RawEntry>();
        var rfc = RfcEntries(fixtures);
        all.AddRange(rfc);
        all.AddRange(TiledEntries(fixtures));

        Measure("parser", all, duration, print: true);
        Measure("parser_rfc6962_with_chain", rfc, duration / 2, print: true, mainFigures: false);
        return 0;
    }

    private static void Measure(string name, List<RawEntry> entries, TimeSpan duration, bool print, bool mainFigures = true)
    {
        using var writer = new MessageWriter();
        // Warm-up: JIT tiering and the writer's buffers reach their steady size.
        Loop(writer, entries, TimeSpan.FromSeconds(1));

        GC.Collect();
        var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
        var (count, outputBytes, elapsed) = Loop(writer, entries, duration);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;

        if (!print)
            return;
        var perSecond = count / elapsed.TotalSeconds;
        // The main figures carry the plain "parser" prefix whatever the run is called.
        var prefix = mainFigures ? "parser" : name;
        BenchOutput.Figure(prefix + "_entries_per_core", perSecond, "entries/s");
        BenchOutput.Figure(prefix + "_alloc_bytes_per_entry", (double)allocated / count, "B");
        BenchOutput.Figure(prefix + "_output_bytes_per_entry", (double)outputBytes / count, "B");
    }

    private static (long Count, long OutputBytes, TimeSpan Elapsed) Loop(MessageWriter writer, List<RawEntry> entries, TimeSpan duration)
    {
        long count = 0, output = 0;
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < duration)
        {
            foreach (var entry in entries)
            {
                if (writer.Write(entry) != EntryRejection.None)
                    throw new InvalidOperationException($"fixture entry {entry.Index} rejected");
                output += writer.Full.Length + writer.Lite.Length + writer.Domains.Length;
                count++;
            }
        }
        return (count, output, watch.Elapsed);
    }

    private const string Argon = "https://ct.googleapis.com/logs/us1/argon2027h1/";

    private static RawEntry Entry(string url, string name, string logOperator, LogType type, ulong index, ReadOnlyMemory<byte> leafInput,
        ReadOnlyMemory<byte> extraData, double fetchedAt) => new()
    {
        Log = LogKey.FromUrl(url), Url = url, Name = name, Operator = logOperator, Type = type, Index = index,
        LeafInput = leafInput, ExtraData = extraData, FetchedAt = fetchedAt,
    };

    private static List<RawEntry> RfcEntries(string fixtures)
    {
        var result = new List<RawEntry>();
        foreach (var file in new[] { "argon2027h1_get-entries_380000003-380000004.json", "ctgo_scanner_FourEntries_get-entries.json" })
        {
            using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(fixtures, "rfc6962", file)));
            foreach (var e in json.RootElement.GetProperty("entries").EnumerateArray())
            {
                result.Add(Entry(Argon, "Google 'Argon2027h1'", "Google", LogType.Rfc6962, (ulong)result.Count,
                    e.GetProperty("leaf_input").GetBytesFromBase64(), e.GetProperty("extra_data").GetBytesFromBase64(), 1795319312.616));
            }
        }
        foreach (var stem in new[] { "ctgo_precert_entry", "ctgo_x509_entry" })
        {
            result.Add(Entry(Argon, "Google 'Argon2027h1'", "Google", LogType.Rfc6962, (ulong)result.Count,
                Convert.FromBase64String(File.ReadAllText(Path.Combine(fixtures, "rfc6962", stem + ".leaf_input.b64")).Trim()),
                Convert.FromBase64String(File.ReadAllText(Path.Combine(fixtures, "rfc6962", stem + ".extra_data.b64")).Trim()), 1795319312.616));
        }
        return result;
    }

    private static List<RawEntry> TiledEntries(string fixtures)
    {
        var result = new List<RawEntry>();
        for (var tile = 0; tile < 4; tile++)
        {
            var data = File.ReadAllBytes(Path.Combine(fixtures, "static-ct", "navigli2025h2", "tile", "data", tile.ToString("000", CultureInfo.InvariantCulture)));
            var reader = new TileReader(data);
            while (reader.TryReadNext(out var leaf))
            {
                // Converted as the ingestor converts them (no issuers here: the chain stays empty).
                var (leafInput, extraData) = TileLeafConversion.ToRfc6962(leaf, []);
                result.Add(Entry("https://navigli2025h2.example/", "Navigli2025h2", "Geomys", LogType.Tiled, (ulong)(tile * 256 + reader.Count - 1),
                    leafInput, extraData, 1795319220.919));
            }
        }
        return result;
    }
}
