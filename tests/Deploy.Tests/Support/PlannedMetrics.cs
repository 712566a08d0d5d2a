namespace Certstream.Deploy.Tests.Support;

/// <summary>
/// PLANNED METRIC NAMES — used by the dashboard before the code exporting them is merged.
/// Remove a name once its instrument is in the code: <c>Planned_metric_names_are_not_yet_exported</c> fails to say so.
/// </summary>
internal static class PlannedMetrics
{
    public static readonly IReadOnlyList<string> Names =
    [
        // Parser, meter Certstream.Parser (being written in the parser branch).
        "certstream_parser_entries_total",                  // {log, result=ok|rejected}
        "certstream_parser_decode_duration_seconds_bucket", // histogram
        "certstream_parser_consumer_pending",               // gauge
    ];
}
