using System.Net;
using Certstream.Hosting.Configuration;
using Certstream.TestSupport;

namespace Certstream.Edge.Tests;

/// <summary>Test settings and server start-up.</summary>
internal static class Edge
{
    /// <summary>The documented defaults (README "Configuration"), with keepalive and heartbeat off so tests opt into the timing they test.</summary>
    public static WebserverOptions Settings() => new()
    {
        PingInterval = TimeSpan.Zero,
        HeartbeatInterval = TimeSpan.Zero,
        ClientTimeout = TimeSpan.FromMinutes(5),
    };

    public static EdgeTuning Tuning() => new() { CloseTimeout = TimeSpan.FromSeconds(2) };

    /// <summary>
    /// An edge composed as Program.cs composes it (<c>AddEdge</c>), on 127.0.0.1 and a free port (listen_addr and listen_port
    /// are overridden), connected to the test run's nats-server; tests feed its hub directly or through NATS.
    /// </summary>
    public static async Task<EdgeHost> StartAsync(WebserverOptions? settings = null, EdgeTuning? tuning = null, PrometheusOptions? prometheus = null)
    {
        var config = new CertstreamConfig
        {
            Nats = new NatsOptions { Url = await SharedNats.UrlAsync() },
            Webserver = (settings ?? Settings()) with { ListenAddr = "127.0.0.1", ListenPort = 0 },
            Prometheus = prometheus ?? new PrometheusOptions(),
        };
        var service = await InProcessService.StartAsync("edge", config, builder => builder.AddEdge(tuning ?? Tuning()), app => app.MapEdge());
        return new EdgeHost(service);
    }

    public static HttpClient Http(EdgeHost host) => new() { BaseAddress = host.BaseUri, Timeout = TimeSpan.FromSeconds(10) };

    /// <summary>A <c>webserver:</c> section as YAML text read by the config loader, as the edge gets its options.</summary>
    public static CertstreamConfig Config(string webserverYaml) =>
        ConfigLoader.Parse("webserver:\n" + webserverYaml, "config.yaml", new Dictionary<string, string>());

    /// <summary>IP and CIDR entries as the config loader parses them (for whitelist and trusted_proxies).</summary>
    public static ConfigList<IPNetwork> Networks(params string[] entries) =>
        Config($"  whitelist: [{string.Join(", ", entries.Select(e => $"\"{e}\""))}]\n").Webserver.Whitelist;
}
