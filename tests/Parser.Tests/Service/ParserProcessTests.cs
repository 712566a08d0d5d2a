using System.Net;
using System.Text.Json;
using Certstream.TestSupport;

namespace Certstream.Parser.Tests.Service;

/// <summary>The parser as a real process: crash, SIGTERM, NATS down at start, metrics, and the decode command.</summary>
public sealed class ParserProcessTests
{
    // Enough that one small-batch parser is still busy when the test interrupts it.
    private const int StreamLength = 12_000;

    [Fact]
    public async Task After_a_SIGKILL_mid_stream_a_restarted_parser_publishes_every_entry_at_least_once()
    {
        await using var bed = await ParserTestBed.StartAsync();
        var entries = ServiceEntries.Make(StreamLength);
        await bed.PublishEntriesAsync(entries);
        await using var lite = await MessageCollector.StartAsync(bed.Connection, "certstream.lite.>");
        var config = ParserProcess.WriteConfig(bed.Server.Url, concurrency: 1, fetchBatch: 16, FreePort.Next());
        try
        {
            await using (var crashing = ParserProcess.StartService(config))
            {
                await lite.WaitForCountAsync(200, ParserTestBed.Wait);
                crashing.Kill();
            }
            var atCrash = await bed.ConsumerAsync();
            Assert.True(atCrash.AckFloor.StreamSeq < StreamLength, $"the parser finished before the kill: {ParserTestBed.Describe(atCrash)}");

            await using var restarted = ParserProcess.StartService(config);
            // Entries the killed parser held unacked come back after ack_wait (30 s).
            var all = entries.Select(e => (e.Log, e.Index)).ToHashSet();
            await lite.WaitForAsync(m => m.Select(x => ServiceEntries.Identify(x.Subject, x.Data)).Distinct().Count(all.Contains) == all.Count,
                RawRedeliveryWait, "every entry published");
            var info = await bed.WaitForConsumerAsync(c => c.AckFloor.StreamSeq == StreamLength && c.NumAckPending == 0, "every entry acked", RawRedeliveryWait);
            Assert.Equal(0ul, info.NumPending);
            Assert.False(restarted.HasExited, restarted.Log);
        }
        finally
        {
            File.Delete(config);
        }
    }

    [Fact]
    public async Task SIGTERM_mid_stream_exits_0_with_every_delivered_entry_published_and_acked()
    {
        await using var bed = await ParserTestBed.StartAsync();
        var entries = ServiceEntries.Make(StreamLength);
        await bed.PublishEntriesAsync(entries);
        await using var lite = await MessageCollector.StartAsync(bed.Connection, "certstream.lite.>");
        var config = ParserProcess.WriteConfig(bed.Server.Url, concurrency: 1, fetchBatch: 16, FreePort.Next());
        try
        {
            await using var parser = ParserProcess.StartService(config);
            await lite.WaitForCountAsync(200, ParserTestBed.Wait);
            parser.Terminate();
            Assert.Equal(0, await parser.WaitForExitAsync(ParserTestBed.Wait));

            // Nothing half-done: no entry is left delivered but unacked, and every acked entry was published.
            var info = await bed.ConsumerAsync();
            Assert.Equal(0, info.NumAckPending);
            Assert.Equal(info.Delivered.StreamSeq, info.AckFloor.StreamSeq);
            Assert.True(info.AckFloor.StreamSeq < StreamLength, $"the parser finished before SIGTERM: {ParserTestBed.Describe(info)}");
            await bed.Connection.FlushAsync();
            var published = lite.Snapshot().Select(m => ServiceEntries.Identify(m.Subject, m.Data)).ToHashSet();
            var acked = entries.Take((int)info.AckFloor.StreamSeq).Select(e => (e.Log, e.Index)).ToList();
            Assert.All(acked, e => Assert.Contains(e, published));
            Assert.Contains("stopping", parser.Log, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(config);
        }
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
            await using var parser = ParserProcess.StartService(config);
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            var readyz = new Uri($"http://127.0.0.1:{metricsPort}/readyz");
            var notReady = await GetWhenListeningAsync(http, readyz, parser);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, notReady.Status);
            Assert.Contains("not connected to NATS", notReady.Body, StringComparison.Ordinal);

            await bed.Server.StartAgainAsync();
            await ParserTestBed.PollAsync(async () => (await GetAsync(http, readyz)).Status == HttpStatusCode.OK, "/readyz 200 once NATS is up",
                state: () => parser.Log);

            // The parser created CT_RAW and its consumer (the ingestor had not): entries flow and are counted.
            await using var connection = new Nats.NatsConnection(new Nats.NatsOpts { Url = bed.Server.Url });
            await connection.ConnectAsync();
            var entries = ServiceEntries.Make(3);
            foreach (var entry in entries)
                await connection.PublishAsync(Contracts.Subjects.Raw(entry.Log), ServiceEntries.Encode(entry));
            await connection.PublishAsync("ct.raw.junk_log", new byte[] { 1, 2, 3 });
            await connection.FlushAsync();

            var metrics = new Uri($"http://127.0.0.1:{metricsPort}/metrics");
            var argon = entries[0].Log;
            await ParserTestBed.PollAsync(async () => EntriesCounted((await GetAsync(http, metrics)).Body, argon, "ok") == 2, "entries counted", state: () => parser.Log);
            var text = (await GetAsync(http, metrics)).Body;
            Assert.Equal(1, EntriesCounted(text, entries[1].Log, "ok"));
            Assert.Contains("certstream_parser_entries_total{log=\"junk_log\",result=\"rejected\"} 1", text, StringComparison.Ordinal);
            foreach (var entry in entries)
                Assert.Contains($"certstream_parser_entries_total{{log=\"{entry.Log}\",result=\"ok\",type=\"{(entry.LeafInput.Span[11] == 1 ? "precert" : "x509")}\"}}", text, StringComparison.Ordinal);
            Assert.Contains("certstream_parser_decode_duration_seconds_count 4", text, StringComparison.Ordinal);
            Assert.Contains("certstream_parser_batch_size_bucket{le=", text, StringComparison.Ordinal);
            await ParserTestBed.PollAsync(async () => (await GetAsync(http, metrics)).Body.Contains("certstream_parser_consumer_pending 0", StringComparison.Ordinal),
                "consumer_pending refreshed");

            parser.Terminate();
            Assert.Equal(0, await parser.WaitForExitAsync(ParserTestBed.Wait));
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
        await using var decode = ParserProcess.Start(["decode", "--url", "https://ct.example.net/2026/", "--name", "Example", "--start", "40"], redirectInput: true);
        await decode.StandardInput.WriteAsync(await File.ReadAllTextAsync(fixture));
        decode.StandardInput.Close();
        Assert.Equal(0, await decode.WaitForExitAsync(ParserTestBed.Wait));

        var lines = decode.Log.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(4, lines.Length);
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
    private static async Task<(HttpStatusCode Status, string Body)> GetWhenListeningAsync(HttpClient http, Uri uri, ParserProcess parser)
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
        }, $"{uri} answering", state: () => parser.Log);
        return result!.Value;
    }

    // certstream_parser_entries_total of one log and result, summed over its type labels.
    private static long EntriesCounted(string metrics, string log, string result) =>
        System.Text.RegularExpressions.Regex.Matches(metrics,
                $@"^certstream_parser_entries_total\{{log=""{System.Text.RegularExpressions.Regex.Escape(log)}"",result=""{result}""(,type=""[a-z0-9]+"")?\}} (\d+)$",
                System.Text.RegularExpressions.RegexOptions.Multiline)
            .Sum(m => long.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture));
}
