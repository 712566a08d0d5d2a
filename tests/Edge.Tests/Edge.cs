namespace Certstream.Edge.Tests;

/// <summary>Test settings and server start-up.</summary>
internal static class Edge
{
    /// <summary>SPEC defaults, with keepalive and heartbeat off so tests opt into the timing they test.</summary>
    public static EdgeSettings Settings() => new()
    {
        PingInterval = TimeSpan.Zero,
        HeartbeatInterval = TimeSpan.Zero,
        ClientTimeout = TimeSpan.FromMinutes(5),
        CloseTimeout = TimeSpan.FromSeconds(2),
    };

    public static Task<EdgeHost> StartAsync(EdgeSettings? settings = null) =>
        EdgeServer.StartAsync(settings ?? Settings(), CancellationToken.None);

    public static HttpClient Http(EdgeHost host) => new() { BaseAddress = host.BaseUri, Timeout = TimeSpan.FromSeconds(10) };
}
