using Certstream.Ingestor.Checkpoints;
using Certstream.Ingestor.Tests.Support;
using Microsoft.Extensions.Logging;

namespace Certstream.Ingestor.Tests.Rfc6962;

/// <summary>The RFC 6962 follower against a fake log over real HTTP (Kestrel), with scripted faults.</summary>
public sealed class Rfc6962FollowerTests : IAsyncLifetime
{
    private FakeCtLogServer _server = null!;

    public async Task InitializeAsync() => _server = await FakeCtLogServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private static void AssertEachIndexOnce(RecordingPublisher publisher, string key, ulong from, ulong to)
    {
        var counts = publisher.CountsFor(key);
        Assert.Equal((int)(to - from), counts.Count);
        for (var i = from; i < to; i++)
        {
            Assert.True(counts.TryGetValue(i, out var n), $"index {i} was never published");
            Assert.True(n == 1, $"index {i} was published {n} times");
            Assert.Equal(FakeRfc6962Log.LeafFor(i), publisher.LeafOf(key, i));
        }
    }

    [Fact]
    public async Task Every_index_is_published_once_from_a_log_capping_answers_at_32()
    {
        var fake = _server.Add(new FakeRfc6962Log("argon", 1000) { Cap = 32 });
        using var harness = new FollowerHarness(TestSettings.Fast());
        var follower = harness.Rfc6962(_server.UrlOf(fake));
        var key = LogKeys.FromUrl(_server.UrlOf(fake));

        await using (var run = new Running(follower.RunAsync))
        {
            await run.UntilAsync(harness.Checkpoints.WhenSavedAsync(key, 1000));
        }

        AssertEachIndexOnce(harness.Publisher, key, 0, 1000);
        Assert.Equal(32, follower.Cap.Current);
        Assert.Equal(1000UL, harness.Checkpoints[key]!.TreeSize);
        // After the first probe every request asks for one aligned 32-entry window.
        Assert.All(fake.EntriesRequests.Skip(1), r => Assert.True(r.End - r.Start < 32 && r.Start % 32 == 0, $"request {r.Start}-{r.End}"));
    }

    [Fact]
    public async Task Answers_held_at_once_across_logs_stay_within_the_fetch_buffer()
    {
        // Three slow logs, four ranges each in flight: twelve requests at once without the bound. A buffer smaller than one
        // answer lets exactly one be held at a time (a reservation larger than the buffer goes alone).
        var fakes = Enumerable.Range(0, 3).Select(i => _server.Add(new FakeRfc6962Log("bound" + i, 600) { Cap = 32, EntriesDelay = TimeSpan.FromMilliseconds(30) })).ToList();
        using var harness = new FollowerHarness(TestSettings.Fast() with { ParallelFetch = 4, FetchBuffer = 1024 });
        var runs = new List<Running>();
        try
        {
            foreach (var fake in fakes) runs.Add(new Running(harness.Rfc6962(_server.UrlOf(fake)).RunAsync));
            foreach (var (fake, run) in fakes.Zip(runs))
                await run.UntilAsync(harness.Checkpoints.WhenSavedAsync(LogKeys.FromUrl(_server.UrlOf(fake)), 600));
        }
        finally
        {
            foreach (var run in runs) await run.DisposeAsync();
        }
        foreach (var fake in fakes) AssertEachIndexOnce(harness.Publisher, LogKeys.FromUrl(_server.UrlOf(fake)), 0, 600);
        Assert.Equal(1, _server.MaxEntriesInFlight);
    }

    [Fact]
    public async Task Short_answers_of_any_size_are_continued_without_gaps_or_repeats()
    {
        var fake = _server.Add(new FakeRfc6962Log("uneven", 700) { Cap = 100, Aligned = false });
        foreach (var n in new[] { 7, 13, 1, 50, 3, 99, 2, 64 }) fake.EntriesFaults.Enqueue(Fault.ShortAnswer(n));
        using var harness = new FollowerHarness(TestSettings.Fast());
        var key = LogKeys.FromUrl(_server.UrlOf(fake));

        await using (var run = new Running(harness.Rfc6962(_server.UrlOf(fake)).RunAsync))
        {
            await run.UntilAsync(harness.Checkpoints.WhenSavedAsync(key, 700));
        }

        AssertEachIndexOnce(harness.Publisher, key, 0, 700);
        Assert.Empty(fake.EntriesFaults);
    }

    private static readonly Dictionary<string, Fault> FaultsByName = new()
    {
        ["http 500"] = Fault.Http(500),
        ["http 502"] = Fault.Http(502),
        ["http 503"] = Fault.Http(503),
        ["http 429 retry-after 0"] = Fault.Http(429, "0"),
        ["http 404"] = Fault.Http(404),
        ["http 400"] = Fault.Http(400),
        ["truncated json"] = new Fault(FaultKind.TruncatedJson),
        ["garbage html"] = new Fault(FaultKind.Garbage),
        ["malformed entry"] = new Fault(FaultKind.MalformedEntry),
    };

    [Theory]
    [InlineData("http 500")]
    [InlineData("http 502")]
    [InlineData("http 503")]
    [InlineData("http 429 retry-after 0")]
    [InlineData("http 404")]
    [InlineData("http 400")]
    [InlineData("truncated json")]
    [InlineData("garbage html")]
    [InlineData("malformed entry")]
    public async Task Every_index_is_published_once_in_the_face_of(string faultName)
    {
        var fault = FaultsByName[faultName];
        var fake = _server.Add(new FakeRfc6962Log("faulty" + Guid.NewGuid().ToString("N")[..8], 300) { Cap = 64 });
        for (var i = 0; i < 3; i++) fake.EntriesFaults.Enqueue(fault);
        using var harness = new FollowerHarness(TestSettings.Fast());
        var key = LogKeys.FromUrl(_server.UrlOf(fake));

        await using (var run = new Running(harness.Rfc6962(_server.UrlOf(fake)).RunAsync))
        {
            await run.UntilAsync(harness.Checkpoints.WhenSavedAsync(key, 300));
        }

        AssertEachIndexOnce(harness.Publisher, key, 0, 300);
        Assert.Equal(3, fake.EntriesRequests.Count(r => r.Served == fault.ToString()));
    }

    [Fact]
    public async Task A_request_that_times_out_is_retried()
    {
        var fake = _server.Add(new FakeRfc6962Log("stall", 100) { Cap = 100 });
        fake.EntriesFaults.Enqueue(new Fault(FaultKind.Stall));
        using var harness = new FollowerHarness(TestSettings.Fast() with { RequestTimeout = TimeSpan.FromMilliseconds(300) });
        var key = LogKeys.FromUrl(_server.UrlOf(fake));
        var errors = new MetricRecorder(harness.ServiceMetrics, "ingestor_errors_total", key);

        await using (var run = new Running(harness.Rfc6962(_server.UrlOf(fake)).RunAsync))
        {
            await run.UntilAsync(harness.Checkpoints.WhenSavedAsync(key, 100));
        }

        AssertEachIndexOnce(harness.Publisher, key, 0, 100);
        Assert.Equal(1, errors.Sum("kind", "timeout"));
    }

    [Fact]
    public async Task Metrics_count_published_entries_and_report_position_and_latency_per_log()
    {
        var fake = _server.Add(new FakeRfc6962Log("measured", 300) { Cap = 64 });
        using var harness = new FollowerHarness(TestSettings.Fast());
        var key = LogKeys.FromUrl(_server.UrlOf(fake));
        var published = new MetricRecorder(harness.ServiceMetrics, "ingestor_entries_published_total", key);
        var next = new MetricRecorder(harness.ServiceMetrics, "ingestor_next_index", key);
        var lag = new MetricRecorder(harness.ServiceMetrics, "ingestor_lag", key);
        var treeSize = new MetricRecorder(harness.ServiceMetrics, "ingestor_tree_size", key);
        var latency = new MetricRecorder(harness.ServiceMetrics, "ingestor_request_duration_seconds", key);

        await using (var run = new Running(harness.Rfc6962(_server.UrlOf(fake)).RunAsync))
        {
            await run.UntilAsync(harness.Checkpoints.WhenSavedAsync(key, 300));
            // The log grows while its entries are held back: the follower has seen 310 and holds 300, a lag of 10.
            var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            fake.EntriesHeld = release.Task;
            fake.TreeSize = 310;
            await Eventually(() => lag.Value == 10, "a lag of 10 while the new entries are on their way");
            Assert.Equal(310, treeSize.Value);
            Assert.Equal(300, next.Value);
            release.SetResult();
            await run.UntilAsync(harness.Checkpoints.WhenSavedAsync(key, 310));
        }

        Assert.Equal(310, published.Value);
        Assert.Equal(310, next.Value);
        Assert.Equal(0, lag.Value);
        Assert.True(latency.Count("endpoint", "get-entries") > 0);
        Assert.True(latency.Count("endpoint", "get-sth") > 0);
    }

    private static async Task Eventually(Func<bool> condition, string what)
    {
        // Bounded polling of a gauge whose value holds until the test moves on (no event to await on a gauge).
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException("not within 20 s: " + what);
            await Task.Delay(20);
        }
    }

    [Theory]
    [InlineData(429, false)]
    [InlineData(503, true)]
    public async Task Retry_after_is_honoured_before_asking_again(int status, bool asDate)
    {
        var fake = _server.Add(new FakeRfc6962Log("slowdown" + status, 64) { Cap = 64 });
        var retryAfter = asDate ? DateTimeOffset.UtcNow.AddSeconds(2).ToString("r") : "1";
        fake.EntriesFaults.Enqueue(Fault.Http(status, retryAfter));
        using var harness = new FollowerHarness(TestSettings.Fast()); // backoff alone would retry within 80 ms
        var key = LogKeys.FromUrl(_server.UrlOf(fake));

        await using (var run = new Running(harness.Rfc6962(_server.UrlOf(fake)).RunAsync))
        {
            await run.UntilAsync(harness.Publisher.WhenDistinctAsync(key, 64));
        }

        var requests = fake.EntriesRequests.ToList();
        var refused = requests.First(r => r.Served.StartsWith("HTTP", StringComparison.Ordinal));
        var retried = requests.First(r => r.At > refused.At && r.Start == refused.Start);
        Assert.True(retried.At - refused.At >= TimeSpan.FromMilliseconds(900), $"retried after {(retried.At - refused.At).TotalMilliseconds} ms");
        AssertEachIndexOnce(harness.Publisher, key, 0, 64);
    }

    [Fact]
    public async Task A_log_without_checkpoint_starts_at_its_head_and_saves_that_at_once()
    {
        var fake = _server.Add(new FakeRfc6962Log("head", 500));
        using var harness = new FollowerHarness(TestSettings.Fast(StartPosition.Head));
        var key = LogKeys.FromUrl(_server.UrlOf(fake));

        await using (var run = new Running(harness.Rfc6962(_server.UrlOf(fake)).RunAsync))
        {
            await run.UntilAsync(fake.SthRequests.WhenAtLeastAsync(3));
            Assert.Equal(new LogCheckpoint(500, 500, default), harness.Checkpoints.Writes[0].Checkpoint with { Updated = default });
            Assert.Equal(0, harness.Publisher.Distinct(key));

            fake.TreeSize = 600;
            await run.UntilAsync(harness.Checkpoints.WhenSavedAsync(key, 600));
        }

        AssertEachIndexOnce(harness.Publisher, key, 500, 600);
    }

    [Fact]
    public async Task A_saved_checkpoint_is_resumed_exactly_at_its_next_index()
    {
        var fake = _server.Add(new FakeRfc6962Log("resume", 300));
        using var harness = new FollowerHarness(TestSettings.Fast(StartPosition.Origin));
        var key = LogKeys.FromUrl(_server.UrlOf(fake));
        harness.Checkpoints.Seed(key, new LogCheckpoint(250, 280, DateTimeOffset.UnixEpoch));

        await using (var run = new Running(harness.Rfc6962(_server.UrlOf(fake)).RunAsync))
        {
            await run.UntilAsync(harness.Checkpoints.WhenSavedAsync(key, 300));
        }

        AssertEachIndexOnce(harness.Publisher, key, 250, 300);
        Assert.Equal(300UL, harness.Checkpoints[key]!.TreeSize);
    }

    [Fact]
    public async Task An_unacked_publish_rewinds_to_the_acked_prefix_and_publishes_again()
    {
        var fake = _server.Add(new FakeRfc6962Log("nack", 200));
        using var harness = new FollowerHarness(TestSettings.Fast());
        var key = LogKeys.FromUrl(_server.UrlOf(fake));
        var failedOnce = 0;
        harness.Publisher.AckFor = (_, index) => index == 40 && Interlocked.Exchange(ref failedOnce, 1) == 0
            ? Task.FromException(new TimeoutException("no ack from JetStream"))
            : Task.CompletedTask;

        await using (var run = new Running(harness.Rfc6962(_server.UrlOf(fake)).RunAsync))
        {
            await run.UntilAsync(harness.Checkpoints.WhenSavedAsync(key, 200));
        }

        var counts = harness.Publisher.CountsFor(key);
        Assert.Equal(200, counts.Count);
        Assert.True(counts[40] >= 2, "the unacked entry was published again");
        Assert.All(harness.Checkpoints.Writes, w => Assert.True(w.Checkpoint.NextIndex <= 40 || counts[40] >= 2));
    }

    [Fact]
    public async Task Stopping_saves_a_checkpoint_only_over_the_acked_prefix()
    {
        var fake = _server.Add(new FakeRfc6962Log("stop", 200));
        using var harness = new FollowerHarness(TestSettings.Fast());
        var key = LogKeys.FromUrl(_server.UrlOf(fake));
        var neverAcked = new TaskCompletionSource();
        harness.Publisher.AckFor = (_, index) => index == 77 ? neverAcked.Task : Task.CompletedTask;

        var run = new Running(harness.Rfc6962(_server.UrlOf(fake)).RunAsync);
        await run.UntilAsync(harness.Publisher.WhenDistinctAsync(key, 200));
        await run.StopAsync();
        await run.DisposeAsync();

        Assert.Equal(77UL, harness.Checkpoints[key]!.NextIndex);
        Assert.Equal(200UL, harness.Checkpoints[key]!.TreeSize);
    }

    [Fact]
    public async Task Errors_are_logged_once_per_change_of_kind_and_counted_every_time()
    {
        var fake = _server.Add(new FakeRfc6962Log("noisy", 100) { Cap = 100 });
        for (var i = 0; i < 4; i++) fake.EntriesFaults.Enqueue(Fault.Http(500));
        for (var i = 0; i < 3; i++) fake.EntriesFaults.Enqueue(new Fault(FaultKind.Garbage));
        using var harness = new FollowerHarness(TestSettings.Fast());
        var key = LogKeys.FromUrl(_server.UrlOf(fake));
        var errors = new MetricRecorder(harness.ServiceMetrics, "ingestor_errors_total", key);

        await using (var run = new Running(harness.Rfc6962(_server.UrlOf(fake)).RunAsync))
        {
            await run.UntilAsync(harness.Checkpoints.WhenSavedAsync(key, 100));
        }

        var lines = harness.Loggers.Lines.Where(l => l.Text.Contains("get-entries", StringComparison.Ordinal)).ToList();
        Assert.True(2 == lines.Count(l => l.Level == LogLevel.Warning), string.Join("\n", harness.Loggers.Lines));
        Assert.Equal(1, lines.Count(l => l.Level == LogLevel.Information));
        Assert.Equal(4, errors.Sum("kind", "server_error"));
        Assert.Equal(3, errors.Sum("kind", "garbage"));
    }
}
