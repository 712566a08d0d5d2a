using System.Net;
using Certstream.Hosting.Health;
using Certstream.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Certstream.Hosting.Tests;

/// <summary>The defaults in a real Kestrel host on a free port, in this process.</summary>
public sealed class ServiceDefaultsTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    private static async Task<(WebApplication App, HttpClient Http)> StartAsync(string yaml, Action<WebApplicationBuilder>? configure, CancellationToken cancellationToken)
    {
        var port = FreePort.Next();
        var dir = Directory.CreateTempSubdirectory("certstream-defaults-");
        var path = Path.Combine(dir.FullName, "config.yaml");
        await File.WriteAllTextAsync(path, yaml + $"\nwebserver:\n  listen_addr: 127.0.0.1\n  listen_port: {port}\n", cancellationToken);
        using var output = new StringWriter();
        var launch = ServiceLaunch.Prepare("edge", ["-c", path], new Dictionary<string, string>(), output, output, []);
        dir.Delete(recursive: true);
        Assert.True(launch.ShouldRun, output.ToString());

        var builder = WebApplication.CreateSlimBuilder();
        builder.AddServiceDefaults(launch);
        builder.ListenOn(launch.Config.Webserver.ListenAddr, launch.Config.Webserver.ListenPort);
        configure?.Invoke(builder);
        var app = builder.Build();
        app.MapServiceDefaults();
        await app.StartAsync(cancellationToken);
        return (app, new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") });
    }

    [Fact]
    public async Task Readyz_follows_the_registered_readiness_checks_while_healthz_stays_up()
    {
        using var cts = new CancellationTokenSource(Timeout);
        var connected = false;
        var (app, http) = await StartAsync("", b => b.Services.AddHealthChecks().AddReadinessCheck("nats", () => connected, "not connected"), cts.Token);
        await using (app)
        using (http)
        {
            using (var notReady = await http.GetAsync(new Uri("/readyz", UriKind.Relative), cts.Token))
            {
                Assert.Equal(HttpStatusCode.ServiceUnavailable, notReady.StatusCode);
                Assert.Equal("{\"status\":\"Unhealthy\",\"checks\":{\"lifetime\":\"Healthy\",\"nats\":\"Unhealthy: not connected\"}}",
                    await notReady.Content.ReadAsStringAsync(cts.Token));
            }
            using (var alive = await http.GetAsync(new Uri("/healthz", UriKind.Relative), cts.Token))
                Assert.Equal(HttpStatusCode.OK, alive.StatusCode);

            connected = true;
            using (var ready = await http.GetAsync(new Uri("/readyz", UriKind.Relative), cts.Token))
                Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
            await app.StopAsync(cts.Token);
        }
    }

    [Fact]
    public async Task Options_are_injectable_by_section()
    {
        using var cts = new CancellationTokenSource(Timeout);
        var (app, http) = await StartAsync("parser:\n  fetch_batch: 17\n", null, cts.Token);
        await using (app)
        using (http)
        {
            Assert.Equal(17, app.Services.GetRequiredService<Configuration.ParserOptions>().FetchBatch);
            Assert.Same(app.Services.GetRequiredService<Configuration.CertstreamConfig>().Webserver,
                app.Services.GetRequiredService<Configuration.WebserverOptions>());
            await app.StopAsync(cts.Token);
        }
    }

    [Fact]
    public async Task Shutdown_waits_up_to_30_seconds_for_in_flight_work()
    {
        using var cts = new CancellationTokenSource(Timeout);
        var (app, http) = await StartAsync("", null, cts.Token);
        await using (app)
        using (http)
        {
            Assert.Equal(TimeSpan.FromSeconds(30), app.Services.GetRequiredService<IOptions<HostOptions>>().Value.ShutdownTimeout);
            await app.StopAsync(cts.Token);
        }
    }

    [Fact]
    public async Task The_shutdown_timeout_follows_the_dotnet_setting()
    {
        // DOTNET_SHUTDOWNTIMEOUTSECONDS lands in configuration as this key (README, Configuration).
        using var cts = new CancellationTokenSource(Timeout);
        var (app, http) = await StartAsync("", b => b.Configuration["shutdownTimeoutSeconds"] = "5", cts.Token);
        await using (app)
        using (http)
        {
            Assert.Equal(TimeSpan.FromSeconds(5), app.Services.GetRequiredService<IOptions<HostOptions>>().Value.ShutdownTimeout);
            await app.StopAsync(cts.Token);
        }
    }

    [Theory]
    [InlineData(true, HttpStatusCode.OK)]
    [InlineData(false, HttpStatusCode.NotFound)]
    public async Task The_metrics_endpoint_is_mapped_only_when_prometheus_is_enabled(bool enabled, HttpStatusCode expected)
    {
        using var cts = new CancellationTokenSource(Timeout);
        var (app, http) = await StartAsync($"prometheus:\n  enabled: {(enabled ? "true" : "false")}\n  metrics_url: /prom\n", null, cts.Token);
        await using (app)
        using (http)
        {
            using var response = await http.GetAsync(new Uri("/prom", UriKind.Relative), cts.Token);
            Assert.Equal(expected, response.StatusCode);
            await app.StopAsync(cts.Token);
        }
    }
}
