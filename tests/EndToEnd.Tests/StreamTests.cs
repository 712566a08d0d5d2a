using System.Text.Json;
using Certstream.EndToEnd.Tests.Harness;
using Certstream.TestSupport;

namespace Certstream.EndToEnd.Tests;

/// <summary>Issue [5] §1–3: what Calidog's client receives on each stream, checked against the simulator's record.</summary>
public sealed class StreamTests(StreamsFixture fixture) : IClassFixture<StreamsFixture>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Every_service_serves_metrics_that_promtool_accepts_with_its_own_families()
    {
        fixture.AssertDelivered();
        var pipeline = fixture.Pipeline;
        using var http = new HttpClient { Timeout = Timeout };
        foreach (var (service, families) in new[]
                 {
                     (pipeline.Ingestor, new[] { "ingestor_entries_published_total", "ingestor_lag", "ingestor_request_duration_seconds" }),
                     (pipeline.Parsers[0], ["certstream_parser_entries_total", "certstream_parser_decode_duration_seconds", "certstream_parser_consumer_pending"]),
                     (pipeline.Edges[0], ["certstream_edge_clients", "certstream_edge_messages_sent_total", "certstream_edge_disconnects_total"]),
                 })
        {
            using var response = await http.GetAsync(service.HttpUri("/metrics"));
            Assert.Equal("text/plain; version=0.0.4; charset=utf-8", response.Content.Headers.ContentType?.ToString());
            var exposition = await response.Content.ReadAsStringAsync();
            var (exitCode, output) = await Promtool.CheckMetricsAsync(exposition);
            Assert.True(exitCode == 0 && output.Length == 0, $"{service.Name}: promtool check metrics exited {exitCode}: {output}");
            var types = PrometheusText.Types(exposition);
            foreach (var family in families.Concat(["nats_messages_in_total", "nats_reconnects_total", "process_resident_memory_bytes", "process_cpu_seconds_total"]))
                Assert.True(types.ContainsKey(family), $"{service.Name}: no {family}");
        }
    }

    [Fact]
    public async Task Promtool_rejects_a_broken_exposition()
    {
        // Proves the check above can fail: promtool must complain about what the services never write.
        var (exitCode, output) = await Promtool.CheckMetricsAsync("# HELP x_milliseconds x\n# TYPE x_milliseconds counter\nx_milliseconds{a=\"1\"} 1\n");
        Assert.NotEqual(0, exitCode);
        Assert.NotEmpty(output);
    }

    [Fact]
    public void Calidog_client_on_the_lite_and_full_streams_receives_every_served_entry()
    {
        fixture.AssertDelivered();
        var sim = fixture.Pipeline.Simulator;
        Assert.True(fixture.Served.Count >= 4 * StreamsFixture.InitialSize, $"only {fixture.Served.Count} entries served");
        foreach (var client in new[] { fixture.Lite, fixture.Full })
        {
            var received = client.Entries;
            var missing = fixture.Served.All.Where(e => !received.ContainsKey((sim.LogByName(e.Log).SourceUrl, e.Entry.Index))).ToList();
            Assert.True(missing.Count == 0, $"{client.Name}: {missing.Count} served entries never arrived, e.g. {string.Join(", ", missing.Take(5).Select(m => $"{m.Log}#{m.Entry.Index}"))}");
            // Nothing a log does not hold: every message names a simulated log and an index below its size.
            Assert.Empty(client.Malformed);
            var unknown = received.Keys.Where(k => sim.LogBySourceUrl(k.Url) is null).ToList();
            Assert.True(unknown.Count == 0, $"{client.Name}: entries of unknown logs {string.Join(", ", unknown.Take(5))}");
        }
    }

    [Fact]
    public void A_filtered_client_receives_exactly_the_served_entries_that_match_its_filter()
    {
        fixture.AssertDelivered();
        var sim = fixture.Pipeline.Simulator;
        var served = fixture.Served.All.ToDictionary(e => (sim.LogByName(e.Log).SourceUrl, e.Entry.Index), e => e.Entry);
        var expected = served.Where(e => StreamsFixture.PassesFilter(e.Value)).Select(e => e.Key).ToHashSet();
        Assert.True(expected.Count > 0 && expected.Count < served.Count / 2, $"the filter should pick some entries, not most: {expected.Count} of {served.Count}");

        var received = fixture.Filtered.Entries;
        var missing = expected.Where(k => !received.ContainsKey(k)).ToList();
        var extra = received.Keys.Where(k => served.ContainsKey(k) && !expected.Contains(k)).ToList();
        Assert.True(missing.Count == 0, $"{missing.Count} matching entries never arrived, e.g. {string.Join(", ", missing.Take(5))}");
        Assert.True(extra.Count == 0, $"{extra.Count} entries that do not match arrived, e.g. {string.Join(", ", extra.Take(5))}");
        Assert.Empty(fixture.Filtered.Malformed);
        // Entries logged after the record was taken must match too.
        foreach (var json in fixture.Filtered.Messages)
        {
            using var doc = JsonDocument.Parse(json);
            var data = doc.RootElement.GetProperty("data");
            Assert.Equal("PrecertLogEntry", data.GetProperty("update_type").GetString());
            var names = data.GetProperty("leaf_cert").GetProperty("all_domains").EnumerateArray().Select(d => d.GetString()!).ToList();
            Assert.Contains(names, n => n.EndsWith(".de", StringComparison.Ordinal) || n.EndsWith(".co.uk", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void A_unique_client_receives_each_certificate_once_across_the_logs_it_was_logged_to()
    {
        fixture.AssertDelivered();
        var served = fixture.Served.All.ToList();
        var leaves = served.GroupBy(e => StreamsFixture.LeafOf(e.Entry)).ToDictionary(g => g.Key, g => g.Count());
        // The simulator logged a share of its certificates to two or three logs: the lite client got every copy.
        var repeats = served.Count - leaves.Count;
        Assert.True(repeats > served.Count / 10, $"only {repeats} of {served.Count} served entries repeat a certificate");

        var received = fixture.Unique.Leaves;
        var missing = leaves.Keys.Where(leaf => !received.ContainsKey(leaf)).ToList();
        var twice = received.Where(r => r.Value > 1).ToList();
        Assert.True(missing.Count == 0, $"{missing.Count} certificates never arrived, e.g. {string.Join(", ", missing.Take(5))}");
        Assert.True(twice.Count == 0, $"{twice.Count} certificates arrived more than once, e.g. {string.Join(", ", twice.Take(5))}");
        Assert.Empty(fixture.Unique.Malformed);
        Console.WriteLine($"unique: {served.Count} served entries, {leaves.Count} certificates: {100.0 * repeats / served.Count:0.0}% of the stream removed as repeats");
    }

    [Fact]
    public void A_client_that_dropped_and_resumed_with_since_holds_every_entry_across_its_two_connections()
    {
        fixture.AssertDelivered();
        var sim = fixture.Pipeline.Simulator;
        var first = fixture.Dropped.Entries;
        var second = fixture.Resumed.Entries;
        Assert.True(first.Count >= StreamsFixture.ResumeAfter, $"the first connection had {first.Count} entries");
        var missing = fixture.Served.Keys(sim).Where(k => !first.ContainsKey(k) && !second.ContainsKey(k)).ToList();
        Assert.True(missing.Count == 0, $"{missing.Count} served entries in neither connection, e.g. {string.Join(", ", missing.Take(5))}");
        Assert.Empty(fixture.Resumed.Malformed);
    }

    [Fact]
    public void Lite_and_full_messages_carry_the_simulators_fields()
    {
        fixture.AssertDelivered();
        var problems = new List<string>();
        foreach (var (client, full) in new[] { (fixture.Lite, false), (fixture.Full, true) })
        {
            var byKey = Index(client);
            foreach (var (log, entry) in fixture.Served.All)
            {
                var simLog = fixture.Pipeline.Simulator.LogByName(log);
                if (!byKey.TryGetValue((simLog.SourceUrl, entry.Index), out var message)) continue; // the delivery test names it
                using var doc = JsonDocument.Parse(message);
                problems.AddRange(EntryExpectations.Compare(doc.RootElement, simLog, entry, full).Select(p => $"{client.Name}: {p}"));
            }
        }
        Assert.True(problems.Count == 0, $"{problems.Count} differences, first ones:\n{string.Join('\n', problems.Take(20))}");
    }

    [Fact]
    public void Both_entry_types_and_both_log_kinds_were_exercised()
    {
        fixture.AssertDelivered();
        var served = fixture.Served.All.ToList();
        Assert.Contains(served, e => e.Entry.Type == "precert");
        Assert.Contains(served, e => e.Entry.Type == "x509");
        Assert.Contains(fixture.Pipeline.Simulator.Logs, l => l.IsRfc6962 && fixture.Served.ByLog[l.Name].Count > 0);
        Assert.Contains(fixture.Pipeline.Simulator.Logs, l => !l.IsRfc6962 && fixture.Served.ByLog[l.Name].Count > 0);
    }

    [Fact]
    public void Lite_messages_have_no_chain_or_der_and_full_messages_have_both()
    {
        fixture.AssertDelivered();
        foreach (var json in fixture.Lite.Messages)
        {
            using var doc = JsonDocument.Parse(json);
            var data = doc.RootElement.GetProperty("data");
            Assert.False(data.TryGetProperty("chain", out _), "lite message with chain");
            Assert.False(data.GetProperty("leaf_cert").TryGetProperty("as_der", out _), "lite message with as_der");
        }
        foreach (var json in fixture.Full.Messages)
        {
            using var doc = JsonDocument.Parse(json);
            var data = doc.RootElement.GetProperty("data");
            Assert.True(data.TryGetProperty("chain", out var chain) && chain.GetArrayLength() > 0, "full message without chain");
            Assert.True(data.GetProperty("leaf_cert").TryGetProperty("as_der", out var der) && der.GetString()!.Length > 0, "full message without as_der");
        }
    }

    [Fact]
    public void Domains_only_messages_are_dns_entries_with_every_served_entrys_all_domains()
    {
        fixture.AssertDelivered();
        var received = new Dictionary<string, int>();
        foreach (var json in fixture.Domains.Messages)
        {
            using var doc = JsonDocument.Parse(json);
            var root = doc.RootElement;
            // Exactly {"data":[...],"message_type":"dns_entries"}.
            Assert.Equal(["data", "message_type"], root.EnumerateObject().Select(p => p.Name));
            Assert.Equal("dns_entries", root.GetProperty("message_type").GetString());
            var key = string.Join(' ', root.GetProperty("data").EnumerateArray().Select(d => d.GetString()));
            received[key] = received.GetValueOrDefault(key) + 1;
        }
        // Domains-only names no log or index, so compare as a multiset of all_domains lists.
        var expected = fixture.Served.All.GroupBy(e => string.Join(' ', EntryExpectations.AllDomains(e.Entry))).ToList();
        var short_ = expected.Where(g => received.GetValueOrDefault(g.Key) < g.Count()).Select(g => $"[{g.Key}] {received.GetValueOrDefault(g.Key)}/{g.Count()}").ToList();
        Assert.True(short_.Count == 0, $"{short_.Count} all_domains lists missing, e.g. {string.Join("; ", short_.Take(5))}");
    }

    [Fact]
    public async Task A_client_that_never_reads_costs_the_fast_client_nothing_and_shows_in_the_skip_counters()
    {
        fixture.AssertDelivered();
        using var cts = new CancellationTokenSource(Timeout);
        // The fast client on the same stream as the stalled one got every entry (the delivery test checks the
        // other streams); the stalled client's messages were dropped and counted instead.
        var sim = fixture.Pipeline.Simulator;
        var received = fixture.Full.Entries;
        Assert.All(fixture.Served.All, e => Assert.True(received.ContainsKey((sim.LogByName(e.Log).SourceUrl, e.Entry.Index))));
        using var stats = await EdgeProbe.StatsAsync(fixture.Pipeline.Edges[0], cts.Token);
        var root = stats.RootElement;
        var skippedFull = root.GetProperty("messages_skipped").GetProperty("full").GetInt64();
        Assert.True(skippedFull > 0, $"no skipped full-stream messages in /stats: {root}");
        Assert.Equal(0, root.GetProperty("messages_skipped").GetProperty("lite").GetInt64());
        var metrics = await fixture.Pipeline.Edges[0].GetStringAsync("/metrics", cts.Token);
        Assert.Contains(metrics.Split('\n'), l => l.Contains("skipped", StringComparison.Ordinal) && l.Contains("full", StringComparison.Ordinal) && !l.StartsWith('#') && !l.EndsWith(" 0", StringComparison.Ordinal));
    }

    private static Dictionary<(string Url, long Index), string> Index(CertstreamListener client)
    {
        var byKey = new Dictionary<(string, long), string>();
        foreach (var json in client.Messages)
        {
            using var doc = JsonDocument.Parse(json);
            var data = doc.RootElement.GetProperty("data");
            byKey.TryAdd((data.GetProperty("source").GetProperty("url").GetString()!, data.GetProperty("cert_index").GetInt64()), json);
        }
        return byKey;
    }
}
