namespace Certstream.Hosting.Configuration;

/// <summary>
/// A log added by configuration (<c>general.additional_logs</c> or <c>additional_tiled_logs</c>).
/// <see cref="Description"/> becomes <c>source.name</c> in the stream, as in certstream-server-go. <see cref="Key"/> is the
/// log's public key as Chrome's log list gives it (base64 DER SubjectPublicKeyInfo), "" when not given; tree heads are
/// verified with it (<c>general.verify</c>).
/// </summary>
public sealed record CtLogSource(string Url, string Operator, string Description, string Key = "");
