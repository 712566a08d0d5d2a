using System.Net.WebSockets;

namespace Certstream.Edge;

internal static class DisconnectReasons
{
    public static string Name(this DisconnectReason reason) => reason switch
    {
        DisconnectReason.ClientClosed => "client_closed",
        DisconnectReason.ConnectionLost => "connection_lost",
        DisconnectReason.ClientTimeout => "client_timeout",
        DisconnectReason.MessageTooBig => "message_too_big",
        DisconnectReason.SlowClient => "slow_client",
        DisconnectReason.ServerShutdown => "server_shutdown",
        DisconnectReason.HistoryUnavailable => "history_unavailable",
        _ => throw new ArgumentOutOfRangeException(nameof(reason), reason, null),
    };

    /// <summary>The close frame the edge sends when it ends the session for this reason.</summary>
    public static (WebSocketCloseStatus Status, string Description) CloseFrame(this DisconnectReason reason) => reason switch
    {
        DisconnectReason.ClientTimeout => (WebSocketCloseStatus.PolicyViolation, "No ping received"),
        DisconnectReason.MessageTooBig => (WebSocketCloseStatus.MessageTooBig, "Client messages are limited to 4 KiB"),
        // 1013 "Try Again Later" (RFC 6455 §11.7 registry); not in the WebSocketCloseStatus enum.
        DisconnectReason.SlowClient => ((WebSocketCloseStatus)1013, "Client too slow"),
        DisconnectReason.ServerShutdown => (WebSocketCloseStatus.EndpointUnavailable, "Server shutting down"),
        DisconnectReason.HistoryUnavailable => (WebSocketCloseStatus.InternalServerError, "History unavailable; reconnect with since"),
        _ => (WebSocketCloseStatus.NormalClosure, ""),
    };
}
