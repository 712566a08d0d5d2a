using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Certstream.TestSupport;

namespace Certstream.Hosting.Tests;

/// <summary>The real edge binary: exit codes, one-line errors, health endpoints and SIGTERM.</summary>
// Runs the service executables: scripts/test.sh repeats this category against the Native AOT builds.
[Trait("Category", "ServiceProcess")]
public sealed class ServiceProcessTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("certstream-process-");

    public void Dispose() => _dir.Delete(recursive: true);

    private string WriteConfig(string yaml)
    {
        var path = Path.Combine(_dir.FullName, "test.yaml");
        File.WriteAllText(path, yaml);
        return path;
    }

    [Fact]
    public void The_edge_binary_was_built()
    {
        Assert.True(File.Exists(ServiceBinaries.Edge), $"not built: {ServiceBinaries.Edge}");
    }

    [Theory]
    [InlineData("webserver:\n  listen_addr: 127.0.0.1\n  listen_prot: 9000\n", "test.yaml:3: webserver.listen_prot: unknown key (did you mean listen_port?)")]
    [InlineData("webserver:\n  listen_port: -1\n", "test.yaml:2: webserver.listen_port: -1 is not a port (1 to 65535)")]
    [InlineData("webserver:\n  slow_client_timeout: 30 parsecs\n", "test.yaml:2: webserver.slow_client_timeout: \"30 parsecs\" is not a duration (e.g. 500ms, 30s, 1m30s, 24h)")]
    [InlineData(null, "missing.yaml: config file not found")]
    public async Task Validate_of_a_bad_config_prints_one_line_and_exits_2(string? yaml, string expected)
    {
        using var cts = new CancellationTokenSource(Timeout);
        var file = yaml is null ? "missing.yaml" : Path.GetFileName(WriteConfig(yaml));
        using var service = ServiceProcess.Start(_dir.FullName, "-c", file, "validate");
        Assert.Equal(2, await service.WaitForExitAsync(Timeout, cts.Token));
        Assert.Equal([expected], service.StandardError);
        Assert.Empty(service.StandardOutput);
    }

    [Fact]
    public async Task Running_with_a_bad_config_also_exits_2_before_starting()
    {
        using var cts = new CancellationTokenSource(Timeout);
        using var service = ServiceProcess.Start(_dir.FullName, "-c", Path.GetFileName(WriteConfig("webserver:\n  listen_port: -1\n")));
        Assert.Equal(2, await service.WaitForExitAsync(Timeout, cts.Token));
        Assert.Equal(["test.yaml:2: webserver.listen_port: -1 is not a port (1 to 65535)"], service.StandardError);
    }

    [Fact]
    public async Task Validate_of_a_good_config_prints_ok_and_exits_0()
    {
        using var cts = new CancellationTokenSource(Timeout);
        var sample = Path.Combine(RepoPaths.Root, "config.yaml");
        using var service = ServiceProcess.Start(_dir.FullName, "-c", sample, "validate");
        Assert.Equal(0, await service.WaitForExitAsync(Timeout, cts.Token));
        Assert.Equal([$"OK: {sample} is valid"], service.StandardOutput);
        Assert.Empty(service.StandardError);
    }

    [Fact]
    public async Task A_running_service_answers_health_and_stops_cleanly_on_sigterm()
    {
        using var cts = new CancellationTokenSource(Timeout);
        // A real NATS too, so the test still holds once the edge's readiness includes "connected to NATS".
        var nats = new NatsServerFixture();
        await nats.InitializeAsync();
        try
        {
            await RunUntilSigtermAsync(nats.Url, cts.Token);
        }
        finally
        {
            await nats.DisposeAsync();
        }
    }

    [Fact]
    public async Task Json_logs_are_one_object_per_line_with_utc_timestamps()
    {
        using var cts = new CancellationTokenSource(Timeout);
        var port = FreePort.Next();
        var config = WriteConfig($"webserver:\n  listen_addr: 127.0.0.1\n  listen_port: {port}\n");
        using var service = ServiceProcess.Start(_dir.FullName, new Dictionary<string, string> { ["CERTSTREAM_LOG_FORMAT"] = "json" }, "-c", config);

        var started = await service.WaitForLineAsync(l => l.Contains(" started, listening on ", StringComparison.Ordinal), Timeout, cts.Token);
        using (var json = JsonDocument.Parse(started))
        {
            Assert.Matches(new Regex(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$"), json.RootElement.GetProperty("Timestamp").GetString());
            Assert.Equal("Information", json.RootElement.GetProperty("LogLevel").GetString());
            Assert.Equal("edge", json.RootElement.GetProperty("State").GetProperty("Service").GetString());
        }
        service.Terminate();
        Assert.Equal(0, await service.WaitForExitAsync(Timeout, cts.Token));
    }

    [Theory]
    [InlineData("text")]
    [InlineData("json")]
    public async Task A_token_never_reaches_the_log_even_at_trace_level(string format)
    {
        const string Secret = "s3cret-t0ken-value";
        using var cts = new CancellationTokenSource(Timeout);
        var port = FreePort.Next();
        var config = WriteConfig($"webserver:\n  listen_addr: 127.0.0.1\n  listen_port: {port}\n  auth_tokens: [{Secret}]\n");
        using var service = ServiceProcess.Start(_dir.FullName,
            new Dictionary<string, string> { ["CERTSTREAM_LOG_LEVEL"] = "trace", ["CERTSTREAM_LOG_FORMAT"] = format }, "-c", config);
        await service.WaitForLineAsync(l => l.Contains(" started, listening on ", StringComparison.Ordinal), Timeout, cts.Token);

        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        using (var page = await http.GetAsync(new Uri($"/?token={Secret}&domain=example.com", UriKind.Relative), cts.Token))
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        using (var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/stats", UriKind.Relative)))
        {
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", Secret);
            using var stats = await http.SendAsync(request, cts.Token);
            Assert.Equal(HttpStatusCode.OK, stats.StatusCode);
        }
        using (var socket = new System.Net.WebSockets.ClientWebSocket())
            await socket.ConnectAsync(new Uri($"ws://127.0.0.1:{port}/full-stream?token={Secret}"), cts.Token);
        service.Terminate();
        Assert.Equal(0, await service.WaitForExitAsync(Timeout, cts.Token));

        var output = service.Output;
        Assert.DoesNotContain(Secret, output, StringComparison.Ordinal);
        // The request lines are there, with the token's value replaced.
        Assert.Contains("token=***", output, StringComparison.Ordinal);
    }

    private async Task RunUntilSigtermAsync(string natsUrl, CancellationToken cancellationToken)
    {
        var port = FreePort.Next();
        var config = WriteConfig($"nats:\n  url: {natsUrl}\nwebserver:\n  listen_addr: 127.0.0.1\n  listen_port: {port}\n");
        using var service = ServiceProcess.Start(_dir.FullName, "-c", config);

        var started = await service.WaitForLineAsync(l => l.Contains(" started, listening on ", StringComparison.Ordinal), Timeout, cancellationToken);
        // One line per event, UTC timestamp first.
        Assert.Matches(new Regex(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z info: Certstream\.edge\[0\] edge \S+ started, listening on http://127\.0\.0\.1:" + port + ", config "), started);

        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
        using (var healthz = await http.GetAsync(new Uri("/healthz", UriKind.Relative), cancellationToken))
            Assert.Equal(HttpStatusCode.OK, healthz.StatusCode);
        // Ready once the background connect and subscribe finished (bounded by the test's timeout).
        while (true)
        {
            using var readyz = await http.GetAsync(new Uri("/readyz", UriKind.Relative), cancellationToken);
            if (readyz.StatusCode == HttpStatusCode.OK) break;
            Assert.Equal(HttpStatusCode.ServiceUnavailable, readyz.StatusCode);
            await Task.Delay(50, cancellationToken);
        }
        using (var metrics = await http.GetAsync(new Uri("/metrics", UriKind.Relative), cancellationToken))
        {
            Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);
            Assert.Equal("text/plain; version=0.0.4; charset=utf-8", metrics.Content.Headers.ContentType?.ToString());
            Assert.Contains("# TYPE process_resident_memory_bytes gauge", await metrics.Content.ReadAsStringAsync(cancellationToken), StringComparison.Ordinal);
        }

        service.Terminate();
        Assert.Equal(0, await service.WaitForExitAsync(Timeout, cancellationToken));
        Assert.Contains(service.StandardOutput, l => l.EndsWith(" edge stopped", StringComparison.Ordinal));
        Assert.Empty(service.StandardError);
    }
}
