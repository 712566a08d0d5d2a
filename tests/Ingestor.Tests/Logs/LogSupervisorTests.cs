using Certstream.Hosting.Metrics;
using System.Text.Json.Nodes;
using Certstream.Ingestor.Http;
using Certstream.Ingestor.Logs;
using Certstream.Ingestor.Tests.Support;
using Certstream.TestSupport;

namespace Certstream.Ingestor.Tests.Logs;

public sealed class LogSupervisorTests : IAsyncLifetime
{
    private const string Argon2026h2 = "ct_googleapis_com_logs_us1_argon2026h2";
    private const string Xenon2027h1 = "ct_googleapis_com_logs_eu1_xenon2027h1";
    private FakeCtLogServer _server = null!;

    public async Task InitializeAsync() => _server = await FakeCtLogServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    private static JsonNode FixtureList() =>
        JsonNode.Parse(File.ReadAllText(RepoPaths.Fixture("loglist", "google_log_list_v3_v93.3_2026-10-03_google-operator-only.json")))!;

    private static LogSupervisor Supervisor(IngestorSettings settings, ILogFollowerFactory followers, HttpClient client, IngestorMetrics metrics)
    {
        var http = new LogHttp(client, metrics, TimeProvider.System, settings.MaxResponseBytes);
        var source = settings.DisableDefaultLogs ? null : new LogListSource(settings, http);
        return new LogSupervisor(settings, source, followers, LogKeys.FromUrl, metrics, new CapturingLoggerFactory(), TimeProvider.System);
    }

    [Fact]
    public async Task Followers_start_for_new_logs_and_stop_for_logs_that_leave_the_list()
    {
        var list = FixtureList();
        _server.LogList = list.ToJsonString();
        var settings = TestSettings.Fast() with { DisableDefaultLogs = false, LogListUrl = _server.BaseUrl + "log_list.json" };
        var followers = new FakeFollowerFactory();
        using var client = CtHttpClient.Create(settings);
        var metrics = new IngestorMetrics(new ServiceMetrics(includeProcessMetrics: false));
        using var supervisor = Supervisor(settings, followers, client, metrics);

        await using (var run = new Running(supervisor.RunAsync))
        {
            await run.UntilAsync(Task.WhenAll(followers.Started(Argon2026h2), followers.Started(Xenon2027h1)));
            Assert.Equal(6, supervisor.Followed.Count);

            // Argon2026h2 is retired; Xenon2027h1 leaves the list.
            list["operators"]![0]!["logs"]![0]!["state"] = new JsonObject { ["retired"] = new JsonObject { ["timestamp"] = "2026-11-01T00:00:00Z" } };
            list["operators"]![0]!["logs"]!.AsArray().RemoveAt(3);
            _server.LogList = list.ToJsonString();
            await run.UntilAsync(Task.WhenAll(followers.Stopped(Argon2026h2), followers.Stopped(Xenon2027h1)));

            Assert.Equal(4, supervisor.Followed.Count);
            Assert.DoesNotContain(Argon2026h2, supervisor.Followed);
        }

        Assert.Empty(supervisor.Followed);
        Assert.Equal(6, followers.Created.Count); // nobody was restarted by the refreshes
    }

    [Fact]
    public async Task Additional_logs_are_followed_even_when_the_log_list_cannot_be_fetched()
    {
        var settings = TestSettings.Fast() with
        {
            DisableDefaultLogs = false,
            LogListUrl = _server.BaseUrl + "missing/log_list.json",
            AdditionalLogs = [new CustomLog("https://ct.example.org/mine/", "Me", "My log")],
        };
        var followers = new FakeFollowerFactory();
        using var client = CtHttpClient.Create(settings);
        var metrics = new IngestorMetrics(new ServiceMetrics(includeProcessMetrics: false));
        using var supervisor = Supervisor(settings, followers, client, metrics);

        await using var run = new Running(supervisor.RunAsync);
        await run.UntilAsync(followers.Started("ct_example_org_mine"));

        Assert.Equal(["ct_example_org_mine"], supervisor.Followed);
    }

    [Fact]
    public async Task A_follower_that_throws_is_restarted_without_touching_the_others()
    {
        var settings = TestSettings.Fast() with
        {
            AdditionalLogs = [new CustomLog("https://a.example/log/"), new CustomLog("https://b.example/log/")],
        };
        var followers = new FakeFollowerFactory();
        followers.CrashOnce["a_example_log"] = true;
        using var client = CtHttpClient.Create(settings);
        var metrics = new IngestorMetrics(new ServiceMetrics(includeProcessMetrics: false));
        using var supervisor = Supervisor(settings, followers, client, metrics);

        await using var run = new Running(supervisor.RunAsync);
        await run.UntilAsync(Task.WhenAll(followers.Started("a_example_log"), followers.Started("b_example_log")));

        Assert.Equal(2, followers.Created.Count(k => k == "a_example_log"));
        Assert.Equal(1, followers.Created.Count(k => k == "b_example_log"));
        Assert.False(followers.Stopped("b_example_log").IsCompleted);
    }

    [Fact]
    public async Task A_broken_log_beside_a_healthy_one_does_not_hold_it_back()
    {
        var healthy = _server.Add(new FakeRfc6962Log("healthy", 300));
        var broken = _server.Add(new FakeRfc6962Log("broken", 300) { Down = true });
        var settings = TestSettings.Fast() with
        {
            AdditionalLogs = [new CustomLog(_server.UrlOf(broken), "Test", "broken"), new CustomLog(_server.UrlOf(healthy), "Test", "healthy")],
        };
        using var harness = new FollowerHarness(settings);
        using var supervisor = new LogSupervisor(settings, null, new LogFollowerFactory(harness.Context, new TestTileLeafSource()), LogKeys.FromUrl,
            harness.Metrics, harness.Loggers, TimeProvider.System);
        var healthyKey = LogKeys.FromUrl(_server.UrlOf(healthy));
        var brokenKey = LogKeys.FromUrl(_server.UrlOf(broken));
        var errors = new MetricRecorder(harness.ServiceMetrics, "ingestor_errors_total", brokenKey);

        await using (var run = new Running(supervisor.RunAsync))
        {
            await run.UntilAsync(harness.Checkpoints.WhenSavedAsync(healthyKey, 300));
            await run.UntilAsync(broken.SthRequests.WhenAtLeastAsync(4)); // still trying, with backoff
            Assert.Equal(2, supervisor.Followed.Count);
        }

        Assert.Equal(300, harness.Publisher.Distinct(healthyKey));
        Assert.Equal(0, harness.Publisher.Distinct(brokenKey));
        Assert.True(errors.Sum("kind", "not_found") >= 3);
        Assert.Single(harness.Loggers.Lines, l => l.Text.Contains(brokenKey, StringComparison.Ordinal) && l.Text.Contains("not_found", StringComparison.Ordinal));
    }
}
