using System.Net;
using System.Text.Json;
using Certstream.Contracts;
using Certstream.TestSupport;

namespace Certstream.Parser.Tests.Service;

/// <summary>The parser as a real process: crash, SIGTERM, NATS down at start, metrics, and the decode command.</summary>
// Runs the service executables: scripts/test.sh repeats this category against the Native AOT builds.
[Trait("Category", "ServiceProcess")]
public sealed class ParserProcessTests
{
    // Enough that one small-batch parser is still busy when the test interrupts it: it decodes ~50,000 entries/s on an
    // idle 2-core machine, and a signal can take a few hundred milliseconds to land (12,000 once was not enough).
    private const int StreamLength = 60_000;

    [Fact]
    public async Task After_a_SIGKILL_mid_stream_a_restarted_parser_publishes_every_entry_at_least_once()
    {
        await using var stream = await BusyStream.StartAsync();
        using (var crashing = ParserProcess.StartService(stream.Config))
        {
            await stream.Lite.WaitForCountAsync(200, ParserTestBed.Wait);
            crashing.Kill();
        }
        var atCrash = await stream.Bed.ConsumerAsync();
        Assert.True(atCrash.AckFloor.StreamSeq < StreamLength, $"the parser finished before the kill: {ParserTestBed.Describe(atCrash)}");

        using var restarted = ParserProcess.StartService(stream.Config);
        // Entries the killed parser held unacked come back after ack_wait (30 s).
        var all = stream.Entries.Select(e => (e.Log, e.Index)).ToHashSet();
        await stream.Lite.WaitForAsync(m => m.Select(x => ServiceEntries.Identify(x.Subject, x.Data)).Distinct().Count(all.Contains) == all.Count,
            RawRedeliveryWait, "every entry published");
        var info = await stream.Bed.WaitForConsumerAsync(c => c.AckFloor.StreamSeq == StreamLength && c.NumAckPending == 0, "every entry acked", RawRedeliveryWait);
        Assert.Equal(0ul, info.NumPending);
        Assert.False(restarted.HasExited, restarted.Output);
    }

    [Fact]
    public async Task SIGTERM_mid_stream_exits_0_with_every_delivered_entry_published_and_acked()
    {
        await using var stream = await BusyStream.StartAsync();
        using var parser = ParserProcess.StartService(stream.Config);
        await stream.Lite.WaitForCountAsync(200, ParserTestBed.Wait);
        Assert.Equal(0, await parser.TerminateAsync(ParserTestBed.Wait));

        // Nothing half-done: no entry is left delivered but unacked, and every acked entry was published.
        var info = await stream.Bed.ConsumerAsync();
        Assert.Equal(0, info.NumAckPending);
        Assert.Equal(info.Delivered.StreamSeq, info.AckFloor.StreamSeq);
        Assert.True(info.AckFloor.StreamSeq < StreamLength, $"the parser finished before SIGTERM: {ParserTestBed.Describe(info)}");
        await stream.Bed.Connection.PingAsync();
        var published = stream.Lite.Snapshot().Select(m => ServiceEntries.Identify(m.Subject, m.Data)).ToHashSet();
        var acked = stream.Entries.Take((int)info.AckFloor.StreamSeq).Select(e => (e.Log, e.Index)).ToList();
        Assert.All(acked, e => Assert.Contains(e, published));
        Assert.Contains("stopping", parser.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_NATS_down_at_start_readyz_is_503_until_it_comes_up_then_entries_are_counted_in_metrics()
    {
        await using var bed = await ParserTestBed.StartAsync();
        var metricsPort = FreePort.Next();
        var config = ParserProcess.WriteConfig(bed.Server.Url, concurrency: 2, fetchBatch: 16, metricsPort);
        await bed.Connection.DisposeAsync();
        bed.Server.Kill();
        try
        {
            using var parser = ParserProcess.StartService(config);
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            var readyz = new Uri($"http://127.0.0.1:{metricsPort}/readyz");
            var notReady = await GetWhenListeningAsync(http, readyz, parser);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, notReady.Status);
            Assert.Contains("not connected to NATS", notReady.Body, StringComparison.Ordinal);

            await bed.Server.StartAgainAsync();
            await ParserTestBed.PollAsync(async () => (await GetAsync(http, readyz)).Status == HttpStatusCode.OK, "/readyz 200 once NATS is up",
                state: () => parser.Output);

            // The parser created CT_RAW and its consumer (the ingestor had not): entries flow and are counted.
            await using var connection = await NatsClients.ConnectAsync(bed.Server.Url);
            var entries = ServiceEntries.Make(3);
            foreach (var entry in entries)
                await connection.PublishAsync(Contracts.Subjects.Raw(entry.Log), ServiceEntries.Encode(entry));
            await connection.PublishAsync("ct.raw.junk_log", new byte[] { 1, 2, 3 });
            await connection.PingAsync();

            var metrics = new Uri($"http://127.0.0.1:{metricsPort}/metrics");
            var argon = entries[0].Log;
            await ParserTestBed.PollAsync(async () => EntriesCounted((await GetAsync(http, metrics)).Body, argon, "ok") == 2, "entries counted", state: () => parser.Output);
            var text = (await GetAsync(http, metrics)).Body;
            Assert.Equal(1, EntriesCounted(text, entries[1].Log, "ok"));
            // A rejected entry has no type: prometheus-net writes the family's fixed label set, so type is empty (the same series in PromQL).
            Assert.Contains("certstream_parser_entries_total{log=\"junk_log\",result=\"rejected\",type=\"\"} 1", text, StringComparison.Ordinal);
            foreach (var entry in entries)
                Assert.Contains($"certstream_parser_entries_total{{log=\"{entry.Log}\",result=\"ok\",type=\"{(entry.LeafInput.Span[11] == 1 ? "precert" : "x509")}\"}}", text, StringComparison.Ordinal);
            Assert.Contains("certstream_parser_decode_duration_seconds_count 4", text, StringComparison.Ordinal);
            Assert.Contains("certstream_parser_batch_size_bucket{le=", text, StringComparison.Ordinal);
            await ParserTestBed.PollAsync(async () => (await GetAsync(http, metrics)).Body.Contains("certstream_parser_consumer_pending 0", StringComparison.Ordinal),
                "consumer_pending refreshed");

            Assert.Equal(0, await parser.TerminateAsync(ParserTestBed.Wait));
        }
        finally
        {
            File.Delete(config);
        }
    }

    [Fact]
    public async Task Decode_command_of_the_built_binary_prints_one_full_message_per_fixture_entry()
    {
        var fixture = RepoPaths.Fixture("rfc6962", "ctgo_scanner_FourEntries_get-entries.json");
        using var decode = ParserProcess.Start("decode", "--url", "https://ct.example.net/2026/", "--name", "Example", "--start", "40");
        await decode.StandardInput.WriteAsync(await File.ReadAllTextAsync(fixture));
        decode.StandardInput.Close();
        Assert.Equal(0, await decode.WaitForExitAsync(ParserTestBed.Wait));

        Assert.Empty(decode.StandardError);
        var lines = decode.StandardOutput.Where(l => l.Length > 0).ToList();
        Assert.Equal(4, lines.Count);
        var indexes = lines.Select(l => JsonDocument.Parse(l).RootElement.GetProperty("data").GetProperty("cert_index").GetUInt64());
        Assert.Equal([40ul, 41ul, 42ul, 43ul], indexes);
        Assert.All(lines, l => Assert.Equal("certificate_update", JsonDocument.Parse(l).RootElement.GetProperty("message_type").GetString()));
    }

    // ack_wait (30 s) plus the time to work through the stream again on a shared machine.
    private static readonly TimeSpan RawRedeliveryWait = TimeSpan.FromSeconds(75);

    private static async Task<(HttpStatusCode Status, string Body)> GetAsync(HttpClient http, Uri uri)
    {
        using var response = await http.GetAsync(uri);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    // The process needs a moment to open its port: retry refused connections, boundedly.
    private static async Task<(HttpStatusCode Status, string Body)> GetWhenListeningAsync(HttpClient http, Uri uri, ChildProcess parser)
    {
        (HttpStatusCode, string)? result = null;
        await ParserTestBed.PollAsync(async () =>
        {
            try
            {
                result = await GetAsync(http, uri);
                return true;
            }
            catch (HttpRequestException)
            {
                return false;
            }
        }, $"{uri} answering", state: () => parser.Output);
        return result!.Value;
    }

    // certstream_parser_entries_total of one log and result, summed over its type labels.
    private static long EntriesCounted(string metrics, string log, string result) =>
        System.Text.RegularExpressions.Regex.Matches(metrics,
                $@"^certstream_parser_entries_total\{{log=""{System.Text.RegularExpressions.Regex.Escape(log)}"",result=""{result}""(,type=""[a-z0-9]+"")?\}} (\d+)$",
                System.Text.RegularExpressions.RegexOptions.Multiline)
            .Sum(m => long.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>
    /// A test bed whose CT_RAW holds <see cref="StreamLength"/> entries, a collector on the lite subjects, and the config
    /// of one small-batch parser: a parser started on it is still busy when the test interrupts it.
    /// </summary>
    private sealed class BusyStream : IAsyncDisposable
    {
        private BusyStream(ParserTestBed bed, List<RawEntry> entries, MessageCollector lite, string config)
        {
            Bed = bed;
            Entries = entries;
            Lite = lite;
            Config = config;
        }

        public ParserTestBed Bed { get; }

        public List<RawEntry> Entries { get; }

        public MessageCollector Lite { get; }

        public string Config { get; }

        public static async Task<BusyStream> StartAsync()
        {
            var bed = await ParserTestBed.StartAsync();
            var entries = ServiceEntries.Make(StreamLength);
            await bed.PublishEntriesAsync(entries);
            var lite = await MessageCollector.StartAsync(bed.Connection, "certstream.lite.>");
            return new BusyStream(bed, entries, lite, ParserProcess.WriteConfig(bed.Server.Url, concurrency: 1, fetchBatch: 16, FreePort.Next()));
        }

        public async ValueTask DisposeAsync()
        {
            File.Delete(Config);
            await Lite.DisposeAsync();
            await Bed.DisposeAsync();
        }
    }
}
