using Certstream.Hosting.Metrics;
using Prometheus;

namespace Certstream.Edge;

/// <summary>
/// The edge's metrics (README "Metrics", <c>certstream_edge_*</c>), declared with prometheus-net in the service's registry.
/// Delivery figures are read from the <see cref="StreamHub"/> just before each scrape, so the per-message path does no
/// metric work.
/// </summary>
internal sealed class EdgeMetrics
{
    private readonly Counter _disconnects;
    private readonly Counter _refusals;

    public EdgeMetrics(ServiceMetrics metrics, StreamHub hub)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        var f = metrics.Factory;
        string[] stream = ["stream"];
        var clients = f.CreateGauge("certstream_edge_clients", "Connected clients (WebSocket and SSE), by stream", stream);
        var filtered = f.CreateGauge("certstream_edge_filtered_clients", "Connected clients with a server-side filter, by stream", stream);
        var eventStreams = f.CreateGauge("certstream_edge_sse_clients", "Connected Server-Sent Events clients, by stream", stream);
        var resumed = f.CreateGauge("certstream_edge_resumed_clients", "Connected clients fed from CT_HISTORY (they asked for since), by stream", stream);
        var unique = f.CreateGauge("certstream_edge_unique_clients", "Connected clients asking for unique certificates, by stream", stream);
        var resumes = f.CreateCounter("certstream_edge_resumes_total", "Clients that resumed with since or Last-Event-ID");
        var replayed = f.CreateCounter("certstream_edge_replayed_messages_total", "Messages handed to resumed clients from CT_HISTORY, by stream", stream);
        var received = f.CreateCounter("certstream_edge_messages_received_total", "Messages received from NATS, by stream", stream);
        var sent = f.CreateCounter("certstream_edge_messages_sent_total", "Messages written to clients (heartbeats included), by stream", stream);
        var bytes = f.CreateCounter("certstream_edge_sent_bytes_total", "Message bytes written to clients before framing and compression, by stream", stream);
        var gaps = f.CreateCounter("certstream_edge_feed_gaps_total",
            "NATS connection losses during which messages of a stream CT_HISTORY does not keep may have been lost, by stream", stream);
        var skipped = f.CreateCounter("certstream_edge_messages_skipped_total", "Messages dropped for a client whose send queue was full, by stream", stream);
        _disconnects = f.CreateCounter("certstream_edge_disconnects_total", "Ended WebSocket sessions, by reason", ["reason"]);
        _refusals = f.CreateCounter("certstream_edge_refusals_total", "Requests refused before the upgrade, by reason", ["reason"]);
        metrics.BeforeCollect(() =>
        {
            foreach (var kind in StreamKinds.All)
            {
                var name = kind.Name();
                var totals = hub.Totals(kind);
                clients.WithLabels(name).Set(totals.Clients);
                filtered.WithLabels(name).Set(totals.FilteredClients);
                eventStreams.WithLabels(name).Set(totals.EventStreamClients);
                resumed.WithLabels(name).Set(totals.ResumedClients);
                unique.WithLabels(name).Set(totals.UniqueClients);
                replayed.WithLabels(name).IncTo(totals.MessagesReplayed);
                received.WithLabels(name).IncTo(hub.MessagesReceived(kind));
                sent.WithLabels(name).IncTo(totals.MessagesSent);
                bytes.WithLabels(name).IncTo(totals.BytesSent);
                skipped.WithLabels(name).IncTo(totals.MessagesSkipped);
                gaps.WithLabels(name).IncTo(hub.FeedGaps(kind));
            }
            resumes.IncTo(hub.Resumes);
        });
    }

    public void Disconnected(DisconnectReason reason) => _disconnects.WithLabels(reason.Name()).Inc();

    /// <summary>reason: forbidden, unauthorized, max_clients, max_clients_per_ip, bad_filter, bad_since, history_unavailable, bad_handshake.</summary>
    public void Refused(string reason) => _refusals.WithLabels(reason).Inc();
}
