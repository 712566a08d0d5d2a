namespace Certstream.Edge;

/// <summary>The three message variants the parser publishes and the edge serves (README "WebSocket and HTTP API", "NATS subjects").</summary>
internal enum StreamKind
{
    Full = 0,
    Lite = 1,
    Domains = 2,
}
