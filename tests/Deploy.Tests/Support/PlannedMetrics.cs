namespace Certstream.Deploy.Tests.Support;

/// <summary>
/// PLANNED METRIC NAMES — used by the dashboard before the code exporting them is merged.
/// Remove a name once its instrument is in the code: <c>Planned_metric_names_are_not_yet_exported</c> fails to say so.
/// </summary>
internal static class PlannedMetrics
{
    public static readonly IReadOnlyList<string> Names =
    [
        // Edge, meter Certstream.Edge (being written in the edge branch).
        "certstream_edge_clients",                          // gauge {stream}
        "certstream_edge_messages_sent_total",              // {stream}
        "certstream_edge_messages_skipped_total",           // {stream}
        // Parser, meter Certstream.Parser (being written in the parser branch).
        "certstream_parser_entries_total",                  // {log, result=ok|rejected}
        "certstream_parser_decode_duration_seconds_bucket", // histogram
        "certstream_parser_consumer_pending",               // gauge
        // NATS client, meter Certstream.Nats: observable counter nats.reconnects {connection} (shared/Nats, nats branch).
        "nats_reconnects_total",
    ];
}
