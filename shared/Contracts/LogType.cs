namespace Certstream.Contracts;

/// <summary>How a CT log is read; <c>type</c> in a <see cref="RawEntry"/> (README "NATS subjects").</summary>
public enum LogType
{
    /// <summary><c>rfc6962</c>: the log's get-entries API.</summary>
    Rfc6962,

    /// <summary><c>tiled</c>: static-ct-api data tiles, converted to RFC 6962 form by the ingestor.</summary>
    Tiled,
}
