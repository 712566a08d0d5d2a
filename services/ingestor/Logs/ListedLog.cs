namespace Certstream.Ingestor.Logs;

/// <summary>
/// A log as Chrome's v3 log list describes it. <see cref="State"/> is the one key of its <c>state</c>
/// object (usable, qualified, readonly, retired, rejected, pending) or null when it has none. <see cref="Key"/> is its
/// <c>key</c>: the base64 DER SubjectPublicKeyInfo its tree heads are signed with ("" when the entry has none).
/// </summary>
internal sealed record ListedLog(string Url, string Description, string Operator, LogKind Kind, string? State, string Key = "");
