namespace Certstream.Hosting.Configuration;

/// <summary>An entry of <c>general.excluded_logs</c>: a log URL, an operator name, or both (both must match).</summary>
public sealed record LogExclusion(string? Url, string? Operator);
