namespace Certstream.Ingestor.Http;

/// <summary>What went wrong talking to a log; the <c>kind</c> tag of the errors metric (lower-case name).</summary>
internal enum ErrorKind
{
    None = 0,
    /// <summary>HTTP 429, or 503 with Retry-After: the log asks us to slow down.</summary>
    RateLimited,
    /// <summary>HTTP 404: wrong URL, log shut down, or a deleted partial tile.</summary>
    NotFound,
    /// <summary>Another 4xx.</summary>
    ClientError,
    /// <summary>HTTP 5xx.</summary>
    ServerError,
    Timeout,
    Dns,
    Tls,
    /// <summary>Connection refused/reset, or the body ended early.</summary>
    Network,
    /// <summary>A body that does not parse (JSON, checkpoint note, size over the limit).</summary>
    Garbage,
    /// <summary>A body that parses but holds structurally broken entries or tiles.</summary>
    Malformed,
    /// <summary>An issuer whose SHA-256 differs from the fingerprint it was fetched by.</summary>
    IssuerMismatch,
    /// <summary>JetStream did not ack a published entry (the follower rewinds to its acked prefix).</summary>
    Publish,
    /// <summary>The checkpoint store failed.</summary>
    CheckpointStore,
}
