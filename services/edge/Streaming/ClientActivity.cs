namespace Certstream.Edge;

/// <summary>
/// When the client last sent anything at all. System.Net.WebSockets answers pings and consumes pongs without
/// telling the application, so the edge watches the raw inbound bytes instead (<see cref="ActivityTrackingStream"/>):
/// any frame, ping or pong counts (README "WebSocket and HTTP API" keepalive). Stored in the request's features between the upgrade and
/// the session.
/// </summary>
internal sealed class ClientActivity
{
    private long _lastReceivedMs = Environment.TickCount64;

    /// <summary><see cref="Environment.TickCount64"/> of the last inbound bytes (or of the upgrade).</summary>
    public long LastReceivedMs => Volatile.Read(ref _lastReceivedMs);

    public void OnReceived() => Volatile.Write(ref _lastReceivedMs, Environment.TickCount64);
}
