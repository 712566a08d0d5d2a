using System.Diagnostics.Metrics;

namespace Certstream.Edge;

/// <summary>
/// The edge's instruments (meter <see cref="MeterName"/>), exported by the shared hosting library's /metrics.
/// Delivery counters are read from the sessions at collection time, so the per-message path does no metric work.
/// </summary>
internal sealed class EdgeMetrics
{
    public const string MeterName = "Certstream.Edge";

    private readonly Counter<long> _disconnects;
    private readonly Counter<long> _refusals;

    public EdgeMetrics(IMeterFactory meterFactory, StreamHub hub)
    {
        var meter = meterFactory.Create(MeterName);
        meter.CreateObservableUpDownCounter("certstream.edge.clients",
            () => PerStream(kind => hub.Totals(kind).Clients), "{client}", "Connected WebSocket clients, by stream");
        meter.CreateObservableCounter("certstream.edge.messages.received",
            () => PerStream(hub.MessagesReceived), "{message}", "Messages received from NATS, by stream");
        meter.CreateObservableCounter("certstream.edge.messages.sent",
            () => PerStream(kind => hub.Totals(kind).MessagesSent), "{message}", "Messages written to clients (heartbeats included), by stream");
        meter.CreateObservableCounter("certstream.edge.sent",
            () => PerStream(kind => hub.Totals(kind).BytesSent), "By", "Message bytes written to clients before framing and compression, by stream");
        meter.CreateObservableCounter("certstream.edge.messages.skipped",
            () => PerStream(kind => hub.Totals(kind).MessagesSkipped), "{message}", "Messages dropped for a client whose send queue was full, by stream");
        _disconnects = meter.CreateCounter<long>("certstream.edge.disconnects", "{client}", "Ended WebSocket sessions, by reason");
        _refusals = meter.CreateCounter<long>("certstream.edge.refusals", "{request}", "Requests refused before the upgrade, by reason");
    }

    public void Disconnected(DisconnectReason reason) =>
        _disconnects.Add(1, new KeyValuePair<string, object?>("reason", reason.Name()));

    /// <summary>reason: forbidden, unauthorized, max_clients, max_clients_per_ip.</summary>
    public void Refused(string reason) => _refusals.Add(1, new KeyValuePair<string, object?>("reason", reason));

    private static IEnumerable<Measurement<long>> PerStream(Func<StreamKind, long> value) =>
        StreamKinds.All.Select(kind => new Measurement<long>(value(kind), new KeyValuePair<string, object?>("stream", kind.Name())));

    private static IEnumerable<Measurement<long>> PerStream(Func<StreamKind, int> value) =>
        PerStream(kind => (long)value(kind));
}
