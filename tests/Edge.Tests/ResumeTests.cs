using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Certstream.Contracts;
using Certstream.TestSupport;
using NATS.Client.Core;
using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;

namespace Certstream.Edge.Tests;

/// <summary>Resume (<c>since</c>, <c>Last-Event-ID</c>) and unique certificates against a real nats-server holding CT_HISTORY (README "Resume").</summary>
public sealed class ResumeTests : IDisposable
{
    private const string Log = "ct_example_com_logs_test";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private readonly string _dir = Directory.CreateTempSubdirectory("edge-resume-").FullName;
    private readonly Dictionary<int, string> _seen = [];

    [Fact]
    public async Task A_resumed_client_gets_every_message_since_its_instant_then_the_live_ones_with_no_gap()
    {
        await using var bed = await Bed.StartAsync(_dir);
        var (cts, publisher, app, baseUri) = (bed.Cts, bed.Publisher, bed.App, bed.BaseUri);
        {
            await PublishAsync(publisher, 0, 20, cts.Token);
            var since = Now();
            await PublishAsync(publisher, 20, 30, cts.Token);
            // The other stream's messages, stored in the same history, must not reach a lite client (one filter subject).
            await PublishAsync(publisher, 1000, 1010, cts.Token, stream: "domains");
            await PublishAsync(publisher, 30, 40, cts.Token);
            await WaitStoredAsync(publisher, 50, cts.Token);

            using var resumed = await EdgeClient.ConnectAsync(NatsEdge.Ws(baseUri, "/?since=" + Format(since)));
            // History first: a run ending with m39 that holds m20 (what came before since may repeat, within the clock margin).
            var received = new List<int>();
            while (received.LastOrDefault(-1) != 39) received.Add(Number(await resumed.ReceiveTextAsync()));
            Assert.Contains(20, received);
            Assert.Equal(Enumerable.Range(received[0], received.Count), received);

            // Then live, each message once, in order, with nothing lost at the junction.
            await PublishAsync(publisher, 40, 50, cts.Token);
            await PublishAsync(publisher, 1010, 1020, cts.Token, stream: "domains");
            await PublishAsync(publisher, 50, 60, cts.Token);
            for (var i = 40; i < 60; i++) Assert.Equal(i, Number(await resumed.ReceiveTextAsync()));

            using var http = new HttpClient { BaseAddress = baseUri };
            using (var stats = JsonDocument.Parse(await http.GetStringAsync(new Uri("/stats", UriKind.Relative), cts.Token)))
            {
                Assert.Equal(1, stats.RootElement.GetProperty("clients").GetProperty("resumed").GetInt32());
                Assert.Equal(1, stats.RootElement.GetProperty("resumes").GetInt64());
                Assert.Equal(received.Count + 20, stats.RootElement.GetProperty("replayed_messages").GetInt64());
            }
            var metrics = await http.GetStringAsync(new Uri("/metrics", UriKind.Relative), cts.Token);
            Assert.Contains("certstream_edge_resumed_clients{stream=\"lite\"} 1", metrics, StringComparison.Ordinal);
            Assert.Contains("certstream_edge_resumes_total 1", metrics, StringComparison.Ordinal);
            await app.StopAsync(cts.Token);
        }
    }

    [Fact]
    public async Task A_since_older_than_the_history_starts_at_the_oldest_kept_message_after_a_resume_gap_message()
    {
        await using var bed = await Bed.StartAsync(_dir, maxMessages: 5);
        var (cts, publisher, app, baseUri) = (bed.Cts, bed.Publisher, bed.App, bed.BaseUri);
        {
            using var live = await EdgeClient.ConnectAsync(NatsEdge.Ws(baseUri, "/"));
            await Eventually.TrueAsync(() => NatsEdge.ClientCount(baseUri) == 1, "the live client registered");
            // One at a time: the edge reads the live stream from this five-message history, so a burst could be discarded
            // before it read it (a real history keeps an hour).
            for (var i = 0; i < 10; i++)
            {
                await PublishAsync(publisher, i, i + 1, cts.Token);
                Assert.Equal(i, Number(await live.ReceiveTextAsync()));
            }
            await WaitStoredAsync(publisher, 5, cts.Token, firstSequence: 6);

            using var resumed = await EdgeClient.ConnectAsync(NatsEdge.Ws(baseUri, "/?since=1000"));
            using (var gap = JsonDocument.Parse(await resumed.ReceiveTextAsync()))
            {
                Assert.Equal("resume_gap", gap.RootElement.GetProperty("message_type").GetString());
                Assert.Equal(1000, gap.RootElement.GetProperty("data").GetProperty("since").GetDouble());
                Assert.True(gap.RootElement.GetProperty("data").GetProperty("oldest").GetDouble() > 1000);
            }
            for (var i = 5; i < 10; i++) Assert.Equal(i, Number(await resumed.ReceiveTextAsync()));

            // Only resumed clients are told: a live client's messages are all certificates.
            await PublishAsync(publisher, 10, 11, cts.Token);
            Assert.Equal(10, Number(await live.ReceiveTextAsync()));
            Assert.Equal(10, Number(await resumed.ReceiveTextAsync()));
            await app.StopAsync(cts.Token);
        }
    }

    [Theory]
    [InlineData(true, "/?since=yesterday", "since: expected Unix seconds")]
    [InlineData(true, "/?since=-5", "since: expected Unix seconds")]
    [InlineData(true, "/?since=99999999999", "since: 99999999999 is in the future")]
    [InlineData(true, "/?since=1&since=2", "since: given 2 times")]
    [InlineData(true, "/full-stream?since=1", "since: the full stream has no history here")]
    [InlineData(false, "/?since=1", "since: this server keeps no history")]
    [InlineData(true, "/?unique=maybe", "bad filter: unique: expected true or false")]
    public async Task A_resume_that_cannot_be_served_is_refused_with_400_and_one_line_before_the_upgrade(bool history, string path, string reason)
    {
        await using var bed = await Bed.StartAsync(_dir, history);
        var (cts, app, baseUri) = (bed.Cts, bed.App, bed.BaseUri);
        {
            Assert.Equal(400, await EdgeClient.RefusedStatusAsync(NatsEdge.Ws(baseUri, path)));
            using var http = new HttpClient { BaseAddress = baseUri };
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/sse?stream=" + (path.StartsWith("/full", StringComparison.Ordinal) ? "full&" : "lite&") + path[(path.IndexOf('?', StringComparison.Ordinal) + 1)..], UriKind.Relative));
            using var response = await http.SendAsync(request, cts.Token);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            var body = await response.Content.ReadAsStringAsync(cts.Token);
            Assert.StartsWith(reason, body, StringComparison.Ordinal);
            Assert.Equal(1, body.Count(c => c == '\n'));
            await app.StopAsync(cts.Token);
        }
    }

    [Fact]
    public async Task Unique_clients_get_only_first_copies_live_and_resumed_and_filters_apply_to_the_replay()
    {
        await using var bed = await Bed.StartAsync(_dir);
        var (cts, publisher, app, baseUri) = (bed.Cts, bed.Publisher, bed.App, bed.BaseUri);
        {
            using var live = await EdgeClient.ConnectAsync(NatsEdge.Ws(baseUri, "/?unique=true"));
            await Eventually.TrueAsync(() => NatsEdge.ClientCount(baseUri) == 1, "the live unique client registered");
            // Even numbers are first copies; multiples of three are under example.com.
            await PublishAsync(publisher, 0, 12, cts.Token, unique: i => i % 2 == 0, domains: i => i % 3 == 0 ? "a.example.com" : "other.test");
            await WaitStoredAsync(publisher, 12, cts.Token);
            foreach (var i in new[] { 0, 2, 4, 6, 8, 10 }) Assert.Equal(i, Number(await live.ReceiveTextAsync()));

            using var resumed = await EdgeClient.ConnectAsync(NatsEdge.Ws(baseUri, "/?since=1000&unique=1&domain=example.com"));
            foreach (var i in new[] { 0, 6 }) Assert.Equal(i, Number(await resumed.ReceiveTextAsync()));

            using var http = new HttpClient { BaseAddress = baseUri };
            using (var stats = JsonDocument.Parse(await http.GetStringAsync(new Uri("/stats", UriKind.Relative), cts.Token)))
            {
                Assert.Equal(2, stats.RootElement.GetProperty("clients").GetProperty("unique").GetInt32());
                Assert.Equal(1, stats.RootElement.GetProperty("clients").GetProperty("filtered").GetInt32());
            }
            // Nothing more (the timed-out read aborts the connection, so this comes last).
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => resumed.ReceiveTextAsync(TimeSpan.FromMilliseconds(300)));
            await app.StopAsync(cts.Token);
        }
    }

    [Fact]
    public async Task Event_stream_events_carry_their_seen_as_id_and_Last_Event_ID_resumes_from_it()
    {
        await using var bed = await Bed.StartAsync(_dir);
        var (cts, publisher, app, baseUri) = (bed.Cts, bed.Publisher, bed.App, bed.BaseUri);
        {
            using var http = new HttpClient { BaseAddress = baseUri, Timeout = System.Threading.Timeout.InfiniteTimeSpan };
            using var first = await http.GetAsync(new Uri("/sse?stream=lite", UriKind.Relative), HttpCompletionOption.ResponseHeadersRead, cts.Token);
            using var firstEvents = new StreamReader(await first.Content.ReadAsStreamAsync(cts.Token));
            await Eventually.TrueAsync(() => NatsEdge.ClientCount(baseUri) == 1, "the SSE client registered");
            await PublishAsync(publisher, 0, 5, cts.Token);
            var live = await ReadEventsAsync(firstEvents, 5, cts.Token);
            Assert.Equal([0, 1, 2, 3, 4], live.Select(e => e.Number));
            Assert.All(live, e => Assert.Equal(_seen[e.Number], e.Id));
            first.Dispose();

            // Dropped after m4; m5..m9 come meanwhile. An EventSource reconnects to the same URL with the last id it had,
            // which wins over the URL's since (a since that would replay nothing of m5..m9).
            await PublishAsync(publisher, 5, 10, cts.Token);
            await WaitStoredAsync(publisher, 10, cts.Token);
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/sse?stream=lite&since=" + Format(Now() + 30), UriKind.Relative));
            request.Headers.Add("Last-Event-ID", live[^1].Id);
            using var again = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cts.Token);
            using var againEvents = new StreamReader(await again.Content.ReadAsStreamAsync(cts.Token));
            var resumed = await ReadEventsAsync(againEvents, 10, cts.Token, until: 9);
            var numbers = resumed.Select(e => e.Number).ToList();
            Assert.Equal(Enumerable.Range(numbers[0], numbers.Count), numbers);
            Assert.True(numbers[0] <= 5, $"the replay starts at m{numbers[0]}, after m5: a gap");
            await app.StopAsync(cts.Token);
        }
    }

    [Fact]
    public async Task An_EventSource_reconnecting_to_a_stream_without_history_goes_live_after_a_gap_message_instead_of_being_refused()
    {
        await using var bed = await Bed.StartAsync(_dir);
        using var http = new HttpClient { BaseAddress = bed.BaseUri, Timeout = System.Threading.Timeout.InfiniteTimeSpan };
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/sse?stream=full", UriKind.Relative));
        request.Headers.Add("Last-Event-ID", Format(Now() - 10));
        using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, bed.Cts.Token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var events = new StreamReader(await response.Content.ReadAsStreamAsync(bed.Cts.Token));
        string line;
        do line = await events.ReadLineAsync(bed.Cts.Token) ?? throw new InvalidOperationException("the event stream ended");
        while (!line.StartsWith("data: ", StringComparison.Ordinal));
        using var gap = JsonDocument.Parse(line["data: ".Length..]);
        Assert.Equal("resume_gap", gap.RootElement.GetProperty("message_type").GetString());
        Assert.Equal(JsonValueKind.Null, gap.RootElement.GetProperty("data").GetProperty("oldest").ValueKind);

        // Then live.
        await Eventually.TrueAsync(() => NatsEdge.ClientCount(bed.BaseUri) == 1, "the SSE client registered");
        await bed.Publisher.PublishAsync($"certstream.full.{Log}", Encoding.UTF8.GetBytes("{\"n\":7}\n"), cancellationToken: bed.Cts.Token);
        do line = await events.ReadLineAsync(bed.Cts.Token) ?? throw new InvalidOperationException("the event stream ended");
        while (!line.StartsWith("data: ", StringComparison.Ordinal));
        Assert.Equal(7, Number(line["data: ".Length..]));
        await bed.App.StopAsync(bed.Cts.Token);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private static double Now() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0;

    private static string Format(double seconds) => seconds.ToString("R", CultureInfo.InvariantCulture);

    private static int Number(string message)
    {
        using var json = JsonDocument.Parse(message);
        return json.RootElement.GetProperty("n").GetInt32();
    }

    /// <summary>A nats-server with CT_HISTORY (unless <c>history</c> is false), a publisher, and a ready edge.</summary>
    private sealed class Bed : IAsyncDisposable
    {
        private NatsServer _nats = null!;

        public CancellationTokenSource Cts { get; } = new(Timeout);
        public NatsConnection Publisher { get; private set; } = null!;
        public Microsoft.AspNetCore.Builder.WebApplication App { get; private set; } = null!;
        public Uri BaseUri { get; private set; } = null!;

        public static async Task<Bed> StartAsync(string dir, bool history = true, long maxMessages = -1)
        {
            var bed = new Bed();
            bed._nats = await NatsServer.StartAsync();
            bed.Publisher = await NatsClients.ConnectAsync(bed._nats.Url);
            if (history)
            {
                var config = JetStreamConfigs.HistoryStream(["lite", "domains"], TimeSpan.FromHours(1), 1L << 30) with { MaxMsgs = maxMessages };
                await new NatsJSContext(bed.Publisher).CreateStreamAsync(config);
            }
            // Without history the edge is told so (it would otherwise create CT_HISTORY itself, as it does when it starts first).
            (bed.App, bed.BaseUri) = await NatsEdge.StartAsync(dir, bed._nats.Url, bed.Cts.Token, history ? "" : "history:\n  streams: []\n");
            await NatsEdge.WaitReadyAsync(bed.BaseUri, bed.Cts.Token);
            return bed;
        }

        public async ValueTask DisposeAsync()
        {
            if (App is not null) await App.DisposeAsync();
            if (Publisher is not null) await Publisher.DisposeAsync();
            if (_nats is not null) await _nats.DisposeAsync();
            Cts.Dispose();
        }
    }

    /// <summary>Publishes <c>{"n":i}</c> on <paramref name="stream"/> for i in [from, to) with the parser's headers, <c>data.seen</c> the time of publishing (kept in <see cref="_seen"/>).</summary>
    private async Task PublishAsync(NatsConnection publisher, int from, int to, CancellationToken cancellationToken,
        Func<int, bool>? unique = null, Func<int, string>? domains = null, string stream = "lite")
    {
        for (var i = from; i < to; i++)
        {
            var headers = new NatsHeaders
            {
                [FilterHeaders.Type] = FilterHeaders.X509,
                [FilterHeaders.Source] = "https://ct.example.com/logs/test",
                [FilterHeaders.Domains] = domains?.Invoke(i) ?? "x.test",
                [FilterHeaders.Seen] = _seen[i] = Format(Now()),
            };
            if (unique?.Invoke(i) ?? true) headers[FilterHeaders.Unique] = "1";
            await publisher.PublishAsync($"certstream.{stream}.{Log}", Encoding.UTF8.GetBytes($"{{\"n\":{i}}}\n"), headers, cancellationToken: cancellationToken);
        }
        await publisher.PingAsync(cancellationToken);
    }

    /// <summary>Polls stream info until CT_HISTORY holds <paramref name="count"/> messages (a core publish is stored asynchronously).</summary>
    private static async Task WaitStoredAsync(NatsConnection connection, ulong count, CancellationToken cancellationToken, ulong firstSequence = 1)
    {
        var js = new NatsJSContext(connection);
        await Eventually.TrueAsync(() =>
        {
            var state = js.GetStreamAsync(JetStreamNames.HistoryStream, cancellationToken: cancellationToken).AsTask().GetAwaiter().GetResult().Info.State;
            return (ulong)state.Messages == count && state.FirstSeq == firstSequence;
        }, $"CT_HISTORY to hold {count} messages from sequence {firstSequence}");
    }

    private static async Task<List<(string? Id, int Number)>> ReadEventsAsync(StreamReader events, int count, CancellationToken cancellationToken, int? until = null)
    {
        var received = new List<(string? Id, int Number)>();
        string? id = null;
        while (until is { } last ? received.LastOrDefault((null, -1)).Number != last : received.Count < count)
        {
            var line = await events.ReadLineAsync(cancellationToken) ?? throw new InvalidOperationException("the event stream ended");
            if (line.StartsWith("id: ", StringComparison.Ordinal)) id = line["id: ".Length..];
            else if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                received.Add((id, Number(line["data: ".Length..])));
                id = null;
            }
        }
        return received;
    }
}
