namespace Certstream.Ingestor.Logs;

/// <summary>An entry of <c>general.additional_logs</c> or <c>additional_tiled_logs</c> (README "Configuration"); <see cref="Key"/> as in the log list.</summary>
internal sealed record CustomLog(string Url, string Operator = "", string Description = "", string Key = "");
