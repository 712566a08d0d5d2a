using System.Net;
using Certstream.Hosting.Configuration;

namespace Certstream.Edge.Tests;

/// <summary>Test settings and server start-up.</summary>
internal static class Edge
{
    /// <summary>SPEC defaults, with keepalive and heartbeat off so tests opt into the timing they test.</summary>
    public static WebserverOptions Settings() => new()
    {
        PingInterval = TimeSpan.Zero,
        HeartbeatInterval = TimeSpan.Zero,
        ClientTimeout = TimeSpan.FromMinutes(5),
    };

    public static EdgeTuning Tuning() => new() { CloseTimeout = TimeSpan.FromSeconds(2) };

    public static Task<EdgeHost> StartAsync(WebserverOptions? settings = null, EdgeTuning? tuning = null) =>
        EdgeServer.StartAsync(settings ?? Settings(), tuning ?? Tuning(), CancellationToken.None);

    public static HttpClient Http(EdgeHost host) => new() { BaseAddress = host.BaseUri, Timeout = TimeSpan.FromSeconds(10) };

    /// <summary>A <c>webserver:</c> section as YAML text read by the config loader, as the edge gets its options.</summary>
    public static CertstreamConfig Config(string webserverYaml) =>
        ConfigLoader.Parse("webserver:\n" + webserverYaml, "config.yaml", new Dictionary<string, string>());

    /// <summary>IP and CIDR entries as the config loader parses them (for whitelist and trusted_proxies).</summary>
    public static ConfigList<IPNetwork> Networks(params string[] entries) =>
        Config($"  whitelist: [{string.Join(", ", entries.Select(e => $"\"{e}\""))}]\n").Webserver.Whitelist;
}
