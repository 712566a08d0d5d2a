namespace Certstream.Hosting.Configuration;

/// <summary>
/// A log added by configuration (<c>general.additional_logs</c> or <c>additional_tiled_logs</c>).
/// <see cref="Description"/> becomes <c>source.name</c> in the stream, as in certstream-server-go.
/// </summary>
public sealed record CtLogSource(string Url, string Operator, string Description);
