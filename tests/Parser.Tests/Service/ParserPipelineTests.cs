using System.Buffers;
using System.Text;
using Certstream.Contracts;
using Certstream.Contracts.Rfc6962;
using Certstream.Parser.Pipeline;

namespace Certstream.Parser.Tests.Service;

public sealed class ParserPipelineTests
{
    [Fact]
    public async Task Each_good_entry_yields_exactly_its_three_messages_as_MessageWriter_makes_them()
    {
        await using var bed = await ParserTestBed.StartAsync();
        var entries = ServiceEntries.Make(2 * ServiceEntries.FixtureCount);
        await bed.PublishEntriesAsync(entries);
        await using var output = await MessageCollector.StartAsync(bed.Connection, "certstream.>");

        await using var service = bed.CreateService(concurrency: 3, fetchBatch: 5);
        await service.StartAsync(CancellationToken.None);
        await output.WaitForCountAsync(3 * entries.Count, ParserTestBed.Wait);
        await bed.WaitForConsumerAsync(c => c.AckFloor.StreamSeq == (ulong)entries.Count && c.NumAckPending == 0, "every entry acked");
        await bed.Connection.PingAsync(); // anything published before the acks has reached us by now
        await service.StopAsync(CancellationToken.None);

        var expected = entries.SelectMany(ServiceEntries.Expected).Select(m => m.Subject + "\n" + m.Data).Order(StringComparer.Ordinal).ToList();
        var actual = output.Snapshot().Select(m => m.Subject + "\n" + Encoding.UTF8.GetString(m.Data.Span)).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(expected, actual);
        Assert.Equal(entries.Count, service.Handled);
    }

    [Fact]
    public async Task Each_message_carries_the_filter_headers_its_JSON_implies()
    {
        await using var bed = await ParserTestBed.StartAsync();
        var entries = ServiceEntries.Make(ServiceEntries.FixtureCount);
        await bed.PublishEntriesAsync(entries);
        await using var output = await MessageCollector.StartAsync(bed.Connection, "certstream.>");

        await using var service = bed.CreateService(concurrency: 2, fetchBatch: 5);
        await service.StartAsync(CancellationToken.None);
        await output.WaitForCountAsync(3 * entries.Count, ParserTestBed.Wait);
        await service.StopAsync(CancellationToken.None);

        var messages = output.Snapshot();
        foreach (var lite in messages.Where(m => m.Subject.StartsWith("certstream.lite.", StringComparison.Ordinal)))
        {
            using var json = System.Text.Json.JsonDocument.Parse(lite.Data);
            var data = json.RootElement.GetProperty("data");
            var headers = lite.Headers ?? throw new InvalidOperationException($"no headers on {lite.Subject}");
            var precert = data.GetProperty("update_type").GetString() == "PrecertLogEntry";
            Assert.Equal(precert ? FilterHeaders.Precert : FilterHeaders.X509, headers[FilterHeaders.Type]);
            Assert.Equal(data.GetProperty("source").GetProperty("url").GetString(), FilterHeaders.DecodeSource(headers[FilterHeaders.Source]));
            var domains = data.GetProperty("leaf_cert").GetProperty("all_domains").EnumerateArray().Select(d => d.GetString()!).ToArray();
            Assert.Equal(domains, FilterHeaders.DecodeDomains(headers[FilterHeaders.Domains]));
            Assert.Equal(data.GetProperty("seen").GetRawText(), headers[FilterHeaders.Seen]);
        }
        // The same headers on the full and domains-only messages of each certificate as on its lite one: each fixture
        // certificate appears once here, so each is its leaf's first copy.
        var byHeaders = messages.GroupBy(m => string.Join("|", m.Headers!.Where(h => h.Key.StartsWith("Certstream-", StringComparison.Ordinal))
            .OrderBy(h => h.Key).Select(h => h.Key + "=" + h.Value)));
        Assert.All(messages, m => Assert.Equal(5, m.Headers!.Count(h => h.Key.StartsWith("Certstream-", StringComparison.Ordinal))));
        Assert.All(messages, m => Assert.Equal("1", m.Headers![FilterHeaders.Unique]));
        Assert.All(byHeaders, g => Assert.Equal(
            g.Count(m => m.Subject.StartsWith("certstream.lite.", StringComparison.Ordinal)) * 3,
            g.Count()));
        // The streams CT_HISTORY keeps (lite and domains by default) are stored with a Msg-Id per stream, log and index, so a
        // redelivered entry is stored once; the full stream, not kept, is a core publish without one.
        foreach (var message in messages)
        {
            var stream = message.Subject.Split('.')[1];
            if (stream == "full")
            {
                Assert.False(message.Headers!.ContainsKey("Nats-Msg-Id"), message.Subject);
                continue;
            }
            Assert.StartsWith($"{stream}:{message.Subject.Split('.')[2]}:", message.Headers!["Nats-Msg-Id"], StringComparison.Ordinal);
        }
        Assert.Equal(2 * messages.Count / 3, messages.Select(m => m.Headers!.TryGetValue("Nats-Msg-Id", out var id) ? id : null).OfType<string>().Distinct().Count());
    }

    [Fact]
    public async Task Of_the_copies_of_one_leaf_across_logs_exactly_one_is_marked_unique_and_repeats_are_counted()
    {
        await using var bed = await ParserTestBed.StartAsync();
        var entries = ServiceEntries.Make(3 * ServiceEntries.FixtureCount); // every certificate three times, in both logs
        await bed.PublishEntriesAsync(entries);
        await using var output = await MessageCollector.StartAsync(bed.Connection, "certstream.lite.>");

        await using var service = bed.CreateService(concurrency: 2, fetchBatch: 7);
        await service.StartAsync(CancellationToken.None);
        await output.WaitForCountAsync(entries.Count, ParserTestBed.Wait);
        var metrics = await service.Host.Metrics.ScrapeAsync();
        await service.StopAsync(CancellationToken.None);

        var leaves = entries.ToDictionary(e => (e.Log, e.Index), ServiceEntries.LeafId);
        var byLeaf = output.Snapshot().GroupBy(m => leaves[ServiceEntries.Identify(m.Subject, m.Data)]).ToList();
        Assert.All(byLeaf, copies => Assert.Single(copies, m => m.Headers?.GetValueOrDefault(FilterHeaders.Unique) == "1"));
        Assert.Contains($"certstream_parser_repeats_total {entries.Count - byLeaf.Count}", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_redelivered_entry_whose_own_claim_is_stored_stays_the_first_copy_and_a_later_copy_does_not()
    {
        await using var bed = await ParserTestBed.StartAsync();
        var entries = ServiceEntries.Make(ServiceEntries.FixtureCount + 1); // the last one repeats the first's leaf
        var (claimed, repeat) = (entries[0], entries[^1]);
        await bed.Js.CreateStreamAsync(JetStreamConfigs.UniqueStream(TimeSpan.FromMinutes(15)));
        // What a parser that claimed the entry and then died before publishing its messages left behind.
        await bed.Js.PublishAsync(JetStreamNames.UniqueSubject, Encoding.ASCII.GetBytes($"{claimed.Log} {claimed.Index}"),
            opts: new NATS.Client.JetStream.NatsJSPubOpts { MsgId = ServiceEntries.LeafId(claimed) });
        await bed.PublishEntriesAsync([claimed]);
        await bed.DeliverOnceAndNakAsync();
        await bed.PublishEntriesAsync([repeat]);
        await using var output = await MessageCollector.StartAsync(bed.Connection, "certstream.lite.>");

        await using var service = bed.CreateService(concurrency: 1, fetchBatch: 5);
        await service.StartAsync(CancellationToken.None);
        await output.WaitForCountAsync(2, ParserTestBed.Wait);
        await service.StopAsync(CancellationToken.None);

        var unique = output.Snapshot().ToDictionary(m => ServiceEntries.Identify(m.Subject, m.Data).Index, m => m.Headers?.GetValueOrDefault(FilterHeaders.Unique) ?? "");
        Assert.Equal("1", unique[claimed.Index]);
        Assert.Equal("", unique[repeat.Index]);
    }

    [Fact]
    public async Task When_claims_fail_the_pipeline_goes_on_with_every_certificate_marked_unique()
    {
        await using var bed = await ParserTestBed.StartAsync();
        // A stream that owns ct.unique and refuses all but one message: CT_UNIQUE cannot be made, claims come back with errors.
        await bed.Js.CreateStreamAsync(new NATS.Client.JetStream.Models.StreamConfig("BLOCKER", [JetStreamNames.UniqueSubject])
        {
            MaxMsgs = 1,
            Discard = NATS.Client.JetStream.Models.StreamConfigDiscard.New,
        });
        var entries = ServiceEntries.Make(2 * ServiceEntries.FixtureCount);
        await bed.PublishEntriesAsync(entries);
        await using var output = await MessageCollector.StartAsync(bed.Connection, "certstream.lite.>");

        await using var service = bed.CreateService(concurrency: 2, fetchBatch: 5);
        await service.StartAsync(CancellationToken.None);
        await output.WaitForCountAsync(entries.Count, ParserTestBed.Wait);
        var metrics = await service.Host.Metrics.ScrapeAsync();
        await service.StopAsync(CancellationToken.None);

        Assert.All(output.Snapshot(), m => Assert.Equal("1", m.Headers?.GetValueOrDefault(FilterHeaders.Unique)));
        Assert.DoesNotContain("certstream_parser_unique_unchecked_total 0", metrics, StringComparison.Ordinal);
        Assert.Contains("certstream_parser_unique_unchecked_total", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Undecodable_entries_go_to_ct_rejected_with_the_error_header_and_are_terminated()
    {
        await using var bed = await ParserTestBed.StartAsync();
        var good = ServiceEntries.Make(2);
        var log = good[0].Log;
        var junkLeaf = good[0] with { Index = 7, LeafInput = new byte[] { 0, 0, 1, 2, 3 } };
        var junkCertificate = good[0] with { Index = 8, LeafInput = X509Leaf([0x30, 0x03, 0x02, 0x01, 0x05]) };
        var notMessagePack = Encoding.ASCII.GetBytes("not a RawEntry");
        var messages = new List<(string Subject, byte[] Data, string? MessageId)>
        {
            (Subjects.Raw(good[0].Log), ServiceEntries.Encode(good[0]), null),
            (Subjects.Raw(log), ServiceEntries.Encode(junkLeaf), null),
            ("ct.raw.garbage_log", notMessagePack, null),
            (Subjects.Raw(log), ServiceEntries.Encode(junkCertificate), null),
            ("ct.raw.two.tokens", notMessagePack, null),
            (Subjects.Raw(good[1].Log), ServiceEntries.Encode(good[1]), null),
        };
        await bed.PublishRawAsync(messages);
        await using var rejected = await MessageCollector.StartAsync(bed.Connection, "ct.rejected.>");
        await using var full = await MessageCollector.StartAsync(bed.Connection, "certstream.full.>");

        await using var service = bed.CreateService(concurrency: 2, fetchBatch: 4);
        await service.StartAsync(CancellationToken.None);
        await rejected.WaitForCountAsync(4, ParserTestBed.Wait);
        await full.WaitForCountAsync(2, ParserTestBed.Wait);
        var info = await bed.WaitForConsumerAsync(c => c.AckFloor.StreamSeq == (ulong)messages.Count && c.NumAckPending == 0, "every entry acked or terminated");
        await service.StopAsync(CancellationToken.None);

        Assert.Equal(0ul, info.NumPending);
        Assert.Equal(0, info.NumRedelivered);
        var all = rejected.Snapshot();
        Assert.Equal(4, all.Count);
        AssertRejected(all, "MalformedLeafInput", Subjects.Rejected(log), messages[1].Data);
        AssertRejected(all, "UndecodableCertificate", Subjects.Rejected(log), messages[3].Data);
        var unreadable = all.Where(m => m.Headers![MessageHeaders.Error]!.StartsWith("RawEntry Malformed", StringComparison.Ordinal)).ToList();
        Assert.Equal(["ct.rejected._unknown", "ct.rejected.garbage_log"], unreadable.Select(m => m.Subject).Order(StringComparer.Ordinal));
        Assert.All(unreadable, m => Assert.Equal(notMessagePack, m.Data.ToArray()));
        Assert.Equal([good[0].Index, good[1].Index], full.Snapshot().Select(m => ServiceEntries.Identify(m.Subject, m.Data).Index).Order());
    }

    [Fact]
    public async Task Two_pipelines_on_the_same_consumer_split_the_work_and_handle_each_entry_once()
    {
        await using var bed = await ParserTestBed.StartAsync();
        await using var lite = await MessageCollector.StartAsync(bed.Connection, "certstream.lite.>");
        await using var first = bed.CreateService(concurrency: 1, fetchBatch: 16);
        await using var second = bed.CreateService(concurrency: 1, fetchBatch: 16);
        await first.StartAsync(CancellationToken.None);
        await second.StartAsync(CancellationToken.None);
        await ParserTestBed.PollAsync(() => Task.FromResult(first.NotReadyReason is null && second.NotReadyReason is null), "both parsers ready");

        // Published while both wait on the consumer, so both pulls are served.
        var entries = ServiceEntries.Make(2000);
        await bed.PublishEntriesAsync(entries);
        await lite.WaitForCountAsync(entries.Count, ParserTestBed.Wait);
        var info = await bed.WaitForConsumerAsync(c => c.AckFloor.StreamSeq == (ulong)entries.Count && c.NumAckPending == 0, "every entry acked");
        await bed.Connection.PingAsync();
        await first.StopAsync(CancellationToken.None);
        await second.StopAsync(CancellationToken.None);

        Assert.Equal(0, info.NumRedelivered);
        Assert.True(first.Handled > 0 && second.Handled > 0, $"one parser did all the work: {first.Handled} / {second.Handled}");
        Assert.Equal(entries.Count, first.Handled + second.Handled);
        var seen = lite.Snapshot().Select(m => ServiceEntries.Identify(m.Subject, m.Data)).ToList();
        Assert.Equal(entries.Count, seen.Count);
        Assert.Equal(entries.Select(e => (e.Log, e.Index)).Order(), seen.Order());
    }

    [Fact]
    public async Task Every_ack_comes_after_the_entrys_three_messages_on_the_wire()
    {
        await using var bed = await ParserTestBed.StartAsync();
        var entries = ServiceEntries.Make(300);
        await bed.PublishEntriesAsync(entries);
        // One subscription to everything keeps the server's order: the parser's publishes and its acks ($JS.ACK.…) alike.
        await using var wire = await MessageCollector.StartAsync(bed.Connection, ">");

        await using var service = bed.CreateService(concurrency: 2, fetchBatch: 16);
        await service.StartAsync(CancellationToken.None);
        await bed.WaitForConsumerAsync(c => c.AckFloor.StreamSeq == (ulong)entries.Count && c.NumAckPending == 0, "every entry acked");
        await bed.Connection.PingAsync();
        await service.StopAsync(CancellationToken.None);

        var published = new HashSet<(string Variant, string Log, ulong Index)>();
        var domains = new Dictionary<string, int>();
        var acks = new Dictionary<string, int>();
        foreach (var msg in wire.Snapshot())
        {
            if (msg.Subject.StartsWith("certstream.domains.", StringComparison.Ordinal))
            {
                var log = msg.Subject["certstream.domains.".Length..];
                domains[log] = domains.GetValueOrDefault(log) + 1; // domains-only carries no index: count per log
            }
            else if (msg.Subject.StartsWith("certstream.", StringComparison.Ordinal))
            {
                var (log, index) = ServiceEntries.Identify(msg.Subject, msg.Data);
                published.Add((msg.Subject.Split('.')[1], log, index));
            }
            else if (msg.Subject.StartsWith("$JS.ACK.", StringComparison.Ordinal) && msg.Data.Span.SequenceEqual("+ACK"u8))
            {
                var entry = entries[(int)ParserTestBed.AckedStreamSequence(msg.Subject) - 1];
                Assert.Contains(("full", entry.Log, entry.Index), published);
                Assert.Contains(("lite", entry.Log, entry.Index), published);
                acks[entry.Log] = acks.GetValueOrDefault(entry.Log) + 1;
                Assert.True(domains.GetValueOrDefault(entry.Log) >= acks[entry.Log], $"entry {entry.Index} acked before its domains message");
            }
        }
        Assert.Equal(entries.Count, acks.Values.Sum());
    }

    [Fact]
    public async Task After_the_server_froze_under_an_idle_pull_new_entries_are_handled_without_a_stall()
    {
        await using var bed = await ParserTestBed.StartAsync();
        await using var lite = await MessageCollector.StartAsync(bed.Connection, "certstream.lite.>");
        await using var service = bed.CreateService(concurrency: 1, fetchBatch: 16);
        await service.StartAsync(CancellationToken.None);
        await ParserTestBed.PollAsync(() => Task.FromResult(service.NotReadyReason is null), "parser ready");

        // Frozen for several pull expiries: the pull in place expires on the server without a 408 reaching the parser.
        bed.Server.Signal("STOP");
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(3)); // the outage itself, not a wait for an event
        }
        finally
        {
            bed.Server.Signal("CONT");
        }
        var entries = ServiceEntries.Make(10);
        await bed.PublishEntriesAsync(entries);
        // Idle heartbeats end a silent pull within about a second; well within this bound if the fetch loop did not stall.
        await lite.WaitForCountAsync(entries.Count, TimeSpan.FromSeconds(15));
        await service.StopAsync(CancellationToken.None);
        Assert.Equal(entries.Count, service.Handled);
    }

    private static void AssertRejected(List<ReceivedMsg> rejected, string reason, string subject, byte[] data)
    {
        var msg = Assert.Single(rejected, m => m.Headers![MessageHeaders.Error]!.StartsWith(reason, StringComparison.Ordinal));
        Assert.Equal(subject, msg.Subject);
        Assert.Equal(data, msg.Data.ToArray());
    }

    // A well-formed MerkleTreeLeaf around a "certificate" that is not one (RFC 6962 §3.4).
    private static byte[] X509Leaf(byte[] certificate)
    {
        var buffer = new ArrayBufferWriter<byte>();
        LeafInputEncoder.WriteX509Entry(buffer, 1_700_000_000_000, certificate, []);
        return buffer.WrittenSpan.ToArray();
    }
}
