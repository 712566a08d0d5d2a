namespace Certstream.Ingestor.Logs;

/// <summary>An entry of <c>general.excluded_logs</c>: a log URL or an operator name (either may be set).</summary>
internal sealed record LogExclusion(string? Url = null, string? Operator = null);
