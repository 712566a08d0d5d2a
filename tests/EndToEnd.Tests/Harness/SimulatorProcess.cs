using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Serialization;
using Certstream.TestSupport;

namespace Certstream.EndToEnd.Tests.Harness;

/// <summary>
/// tools/ctlog-sim run as a process (its CLI), and its HTTP record: what each log holds and how often each
/// entry went out to the ingestor (<c>/_sim/record/&lt;log&gt;</c>).
/// </summary>
internal sealed class SimulatorProcess : IDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private readonly HttpClient _http;

    private SimulatorProcess(ChildProcess process, Uri logListUrl, IReadOnlyList<SimLog> logs)
    {
        Process = process;
        LogListUrl = logListUrl;
        Logs = logs;
        BaseUrl = new Uri(logListUrl, "/");
        _http = new HttpClient { BaseAddress = BaseUrl, Timeout = TimeSpan.FromSeconds(30) };
    }

    public ChildProcess Process { get; }

    public Uri LogListUrl { get; }

    public Uri BaseUrl { get; }

    /// <summary>The logs the CLI printed (<c>LOG name kind url</c>), with their descriptions from the log list.</summary>
    public IReadOnlyList<SimLog> Logs { get; private set; }

    public static async Task<SimulatorProcess> StartAsync(SimulatorOptions options, string workingDirectory, CancellationToken cancellationToken)
    {
        var args = new List<string>
        {
            "--host", "127.0.0.1", "--port", "0",
            "--rfc6962-logs", options.Rfc6962Logs.ToString(CultureInfo.InvariantCulture),
            "--tiled-logs", options.TiledLogs.ToString(CultureInfo.InvariantCulture),
            "--initial-size", options.InitialSize.ToString(CultureInfo.InvariantCulture),
            "--rate", options.EntriesPerSecondPerLog.ToString(CultureInfo.InvariantCulture),
            "--seed", options.Seed.ToString(CultureInfo.InvariantCulture),
            "--cross-log-ratio", options.CrossLogRatio.ToString(CultureInfo.InvariantCulture),
        };
        if (options.BatchCaps is { } caps) args.AddRange(["--batch-caps", caps]);
        var process = ChildProcess.StartService("ctlog-sim", ServiceBinaries.Simulator, args, workingDirectory);
        try
        {
            var first = await process.WaitForLineAsync(l => l.StartsWith("LOG_LIST_URL ", StringComparison.Ordinal), StartTimeout, cancellationToken);
            var expected = options.Rfc6962Logs + options.TiledLogs;
            await process.WaitForLineAsync(_ => process.Lines.Count(l => l.StartsWith("LOG ", StringComparison.Ordinal)) >= expected, StartTimeout, cancellationToken);
            var logs = process.Lines.Where(l => l.StartsWith("LOG ", StringComparison.Ordinal)).Select(ParseLogLine).ToList();
            var sim = new SimulatorProcess(process, new Uri(first["LOG_LIST_URL ".Length..].Trim()), logs);
            await sim.AddDescriptionsAsync(cancellationToken);
            return sim;
        }
        catch
        {
            process.Dispose();
            throw;
        }
    }

    /// <summary>Tree size of every log now.</summary>
    public async Task<IReadOnlyDictionary<string, long>> TreeSizesAsync(CancellationToken cancellationToken)
    {
        using var doc = await GetJsonAsync(new Uri("/_sim/logs", UriKind.Relative), cancellationToken);
        return doc.RootElement.EnumerateArray().ToDictionary(e => e.GetProperty("name").GetString()!, e => e.GetProperty("tree_size").GetInt64());
    }

    /// <summary>The record of <paramref name="log"/>'s entries start..end (inclusive, clamped to the tree).</summary>
    public async Task<IReadOnlyList<SimEntry>> RecordAsync(string log, long start, long end, CancellationToken cancellationToken)
    {
        var result = new List<SimEntry>();
        for (var from = start; from <= end;)
        {
            var page = await _http.GetFromJsonAsync<SimRecordPage>(
                new Uri($"/_sim/record/{log}?start={from}&end={end}", UriKind.Relative), SimJson.Options, cancellationToken)
                ?? throw new InvalidOperationException("empty record");
            if (page.Entries.Count == 0) break;
            result.AddRange(page.Entries);
            from = page.Entries[^1].Index + 1;
        }
        return result;
    }

    /// <summary>Every entry the simulator has served so far (went out in a complete answer at least once), per log.</summary>
    public async Task<ServedEntries> ServedAsync(CancellationToken cancellationToken)
    {
        var sizes = await TreeSizesAsync(cancellationToken);
        var served = new Dictionary<string, IReadOnlyList<SimEntry>>();
        foreach (var log in Logs)
            served[log.Name] = [.. (await RecordAsync(log.Name, 0, sizes[log.Name] - 1, cancellationToken)).Where(e => e.Served > 0)];
        return new ServedEntries(served);
    }

    /// <summary>(source url, index) of every entry below <paramref name="cutoff"/> (per log): what a complete stream must hold.</summary>
    public IReadOnlyList<(string Url, long Index)> KeysBelow(IReadOnlyDictionary<string, long> cutoff) =>
        [.. Logs.SelectMany(l => Enumerable.Range(0, (int)cutoff.GetValueOrDefault(l.Name)).Select(i => (l.SourceUrl, (long)i)))];

    public SimLog LogByName(string name) => Logs.Single(l => l.Name == name);

    /// <summary>The log whose <c>source.url</c> (normalized: no trailing '/') is <paramref name="sourceUrl"/>, or null.</summary>
    public SimLog? LogBySourceUrl(string sourceUrl) => Logs.SingleOrDefault(l => l.SourceUrl == sourceUrl);

    public void Dispose()
    {
        Process.Dispose();
        _http.Dispose();
    }

    private async Task AddDescriptionsAsync(CancellationToken cancellationToken)
    {
        using var doc = await GetJsonAsync(LogListUrl, cancellationToken);
        var descriptions = new Dictionary<string, string>();
        foreach (var op in doc.RootElement.GetProperty("operators").EnumerateArray())
        {
            foreach (var kind in new[] { "logs", "tiled_logs" })
            {
                if (!op.TryGetProperty(kind, out var list)) continue;
                foreach (var log in list.EnumerateArray())
                {
                    var url = log.GetProperty(kind == "logs" ? "url" : "monitoring_url").GetString()!;
                    descriptions[url.TrimEnd('/')] = log.GetProperty("description").GetString()!;
                }
            }
        }
        Logs = [.. Logs.Select(l => l with { Description = descriptions.GetValueOrDefault(l.SourceUrl, "") })];
    }

    private async Task<JsonDocument> GetJsonAsync(Uri uri, CancellationToken cancellationToken)
    {
        await using var stream = await _http.GetStreamAsync(uri, cancellationToken);
        return await JsonDocument.ParseAsync(stream, cancellationToken: cancellationToken);
    }

    private static SimLog ParseLogLine(string line)
    {
        // LOG <name> rfc6962 cap=<n> <url>  |  LOG <name> static-ct <url>
        var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return new SimLog(parts[1], parts[2] == "rfc6962", parts[^1], "");
    }
}

/// <summary>A simulated log: its record name, kind and URL as the log list gives it.</summary>
internal sealed record SimLog(string Name, bool IsRfc6962, string Url, string Description)
{
    /// <summary>The <c>data.source.url</c> a message carries: the log URL without its trailing '/'.</summary>
    public string SourceUrl => Url.TrimEnd('/');
}

/// <summary>The record of one entry (<c>/_sim/record</c>).</summary>
internal sealed record SimEntry(
    [property: JsonPropertyName("index")] long Index,
    [property: JsonPropertyName("type")] string Type,
    [property: JsonPropertyName("timestamp")] long Timestamp,
    [property: JsonPropertyName("leaf_input")] byte[] LeafInput,
    [property: JsonPropertyName("extra_data")] byte[] ExtraData,
    [property: JsonPropertyName("serial_number")] string SerialNumber,
    [property: JsonPropertyName("sha256")] string Sha256,
    [property: JsonPropertyName("subject_cn")] string? SubjectCn,
    [property: JsonPropertyName("dns_names")] IReadOnlyList<string> DnsNames,
    [property: JsonPropertyName("served")] int Served);

internal sealed record SimRecordPage(
    [property: JsonPropertyName("log")] string Log,
    [property: JsonPropertyName("tree_size")] long TreeSize,
    [property: JsonPropertyName("entries")] IReadOnlyList<SimEntry> Entries);

/// <summary>Per log (record name), the entries served, by index.</summary>
internal sealed class ServedEntries(IReadOnlyDictionary<string, IReadOnlyList<SimEntry>> byLog)
{
    public IReadOnlyDictionary<string, IReadOnlyList<SimEntry>> ByLog { get; } = byLog;

    public int Count => ByLog.Values.Sum(l => l.Count);

    public IEnumerable<(string Log, SimEntry Entry)> All => ByLog.SelectMany(kv => kv.Value.Select(e => (kv.Key, e)));

    /// <summary>(source url, index) of every served entry.</summary>
    public IReadOnlyList<(string Url, long Index)> Keys(SimulatorProcess simulator) =>
        [.. All.Select(e => (simulator.LogByName(e.Log).SourceUrl, e.Entry.Index))];
}

internal static class SimJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);
}
