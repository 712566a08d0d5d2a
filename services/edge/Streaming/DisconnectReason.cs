namespace Certstream.Edge;

/// <summary>Why a session ended; a metric tag and, for server-initiated closes, the close code sent (README "WebSocket and HTTP API").</summary>
internal enum DisconnectReason
{
    /// <summary>The client sent a close frame.</summary>
    ClientClosed,

    /// <summary>The connection broke without a close handshake (reset, half-open, keep-alive abort).</summary>
    ConnectionLost,

    /// <summary>Nothing received for <c>client_timeout</c>: 1008.</summary>
    ClientTimeout,

    /// <summary>A client message over 4 KiB: 1009.</summary>
    MessageTooBig,

    /// <summary>Send queue full for <c>slow_client_timeout</c>: 1013.</summary>
    SlowClient,

    /// <summary>The edge is stopping: 1001.</summary>
    ServerShutdown,

    /// <summary>A resumed client's history could no longer be read (README "Resume"): 1011; the client reconnects with <c>since</c>.</summary>
    HistoryUnavailable,
}
