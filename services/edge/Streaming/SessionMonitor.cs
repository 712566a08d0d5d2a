using Microsoft.Extensions.Hosting;
using Certstream.Hosting.Configuration;

namespace Certstream.Edge;

/// <summary>
/// The time-driven half of README "WebSocket and HTTP API"'s keepalive, for every session on one timer: closes clients silent for
/// <c>client_timeout</c> (1008) and queues the JSON heartbeat for those that got nothing for <c>heartbeat_interval</c>.
/// Server WebSocket pings are System.Net.WebSockets' keep-alive (see <see cref="EdgeEndpoints"/>).
/// </summary>
internal sealed class SessionMonitor(StreamHub hub, WebserverOptions webserver) : BackgroundService
{
    private readonly long _clientTimeoutMs = (long)webserver.ClientTimeout.TotalMilliseconds;
    private readonly long _heartbeatMs = (long)webserver.HeartbeatInterval.TotalMilliseconds;

    /// <summary>A quarter of the shortest interval watched, between 10 ms and 1 s: late by at most that much.</summary>
    internal TimeSpan Period
    {
        get
        {
            var shortest = webserver.ClientTimeout;
            if (webserver.HeartbeatInterval > TimeSpan.Zero && webserver.HeartbeatInterval < shortest)
                shortest = webserver.HeartbeatInterval;
            return TimeSpan.FromTicks(Math.Clamp(shortest.Ticks / 4, TimeSpan.TicksPerMillisecond * 10, TimeSpan.TicksPerSecond));
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Period);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
                Sweep(Environment.TickCount64, DateTimeOffset.UtcNow);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    internal void Sweep(long nowMs, DateTimeOffset now)
    {
        byte[]? heartbeat = null;
        foreach (var kind in StreamKinds.All)
        {
            foreach (var session in hub.Sessions(kind))
            {
                if (session.IsClosing) continue;
                if (nowMs - session.LastReceivedMs >= _clientTimeoutMs)
                {
                    session.RequestClose(DisconnectReason.ClientTimeout);
                    continue;
                }
                // Only to a client with nothing pending: one that has messages waiting is not idle.
                if (_heartbeatMs > 0 && nowMs - session.LastSentMs >= _heartbeatMs && session.QueuedBytes == 0)
                    session.OfferHeartbeat(heartbeat ??= Heartbeat.Create(now), nowMs);
            }
        }
    }
}
