using System.Net;
using Certstream.Hosting;
using Certstream.TestSupport;
using Microsoft.AspNetCore.Builder;

namespace Certstream.Edge.Tests;

/// <summary>An edge composed for production and fed by a real nats-server, for the tests that need NATS.</summary>
internal static class NatsEdge
{
    /// <summary>The edge as Program.cs composes it, from a config file written to <paramref name="dir"/> (plus <paramref name="extraYaml"/>).</summary>
    public static async Task<(WebApplication App, Uri BaseUri)> StartAsync(string dir, string natsUrl, CancellationToken cancellationToken, string extraYaml = "")
    {
        var port = FreePort.Next();
        var config = Path.Combine(dir, "config.yaml");
        await File.WriteAllTextAsync(config, $"nats:\n  url: {natsUrl}\nwebserver:\n  listen_addr: 127.0.0.1\n  listen_port: {port}\n{extraYaml}", cancellationToken);
        var launch = ServiceLaunch.Prepare("edge", ["-c", config]);
        Assert.True(launch.ShouldRun);
        var builder = WebApplication.CreateSlimBuilder();
        builder.AddServiceDefaults(launch);
        builder.AddEdge();
        var app = builder.Build();
        app.MapEdge();
        app.MapServiceDefaults();
        await app.StartAsync(cancellationToken);
        return (app, new Uri($"http://127.0.0.1:{port}/"));
    }

    public static async Task WaitReadyAsync(Uri baseUri, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = baseUri };
        // Readiness flips when the background connect and subscribe finish; probe it with a bounded loop.
        while (true)
        {
            using var response = await http.GetAsync(new Uri("/readyz", UriKind.Relative), cancellationToken);
            if (response.StatusCode == HttpStatusCode.OK) return;
            await Task.Delay(50, cancellationToken);
        }
    }

    public static int ClientCount(Uri baseUri)
    {
        using var http = new HttpClient { BaseAddress = baseUri };
        var stats = http.GetStringAsync(new Uri("/stats", UriKind.Relative)).GetAwaiter().GetResult();
        using var json = System.Text.Json.JsonDocument.Parse(stats);
        return json.RootElement.GetProperty("clients").GetProperty("total").GetInt32();
    }

    public static Uri Ws(Uri baseUri, string path) => new($"ws://{baseUri.Authority}{path}");
}
