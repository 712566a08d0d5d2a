namespace Certstream.Ingestor.Logs;

/// <summary>
/// One log to follow. <see cref="Key"/> is the normalized-URL key of README "NATS subjects" and the log's identity;
/// <see cref="Url"/> is the URL as in the log list (the monitoring prefix for a tiled log). <see cref="PublicKey"/> is the
/// log's key as the log list or config gives it (base64 DER SubjectPublicKeyInfo; "" when unknown), for docs/ingest.md "Verified logs".
/// </summary>
internal sealed record LogDescriptor(string Key, string Url, string Description, string Operator, LogKind Kind, string PublicKey = "")
{
    /// <summary>The URL as a base for relative paths: always ends with '/'.</summary>
    public Uri BaseUri { get; } = new(Url.EndsWith('/') ? Url : Url + "/", UriKind.Absolute);

    /// <summary><c>rfc6962</c> or <c>tiled</c>, as in <c>RawEntry.type</c>.</summary>
    public string TypeName => Kind == LogKind.Tiled ? "tiled" : "rfc6962";

    public Uri Resolve(string relative) => new(BaseUri, relative);
}
