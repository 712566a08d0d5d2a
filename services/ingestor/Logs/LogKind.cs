namespace Certstream.Ingestor.Logs;

/// <summary>The read API a log speaks; <c>RawEntry.type</c> is <c>rfc6962</c> or <c>tiled</c> (README "NATS subjects").</summary>
internal enum LogKind
{
    Rfc6962 = 0,
    Tiled = 1,
}
