using System.Diagnostics.Metrics;
using Certstream.Hosting.Metrics;
using NATS.Client.Core;
using Prometheus;

namespace Certstream.Hosting.Messaging;

/// <summary>
/// The NATS client's traffic as <c>nats_*_total{connection}</c> counters (README "Metrics"), counted from NATS.Net's own
/// meter (<see cref="NatsTelemetry.SourceName"/>). NATS.Net tags its measurements with the server, not the connection, so
/// everything the process's NATS.Net connections do is counted under this service's connection name: a service has one.
/// </summary>
public sealed class NatsClientMetrics : IDisposable
{
    private readonly MeterListener _listener = new();

    public NatsClientMetrics(string connectionName, ServiceMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        var f = metrics.Factory;
        string[] labels = ["connection"];
        // NATS.Net instrument → our counter.
        var counters = new Dictionary<string, Counter.Child>(StringComparer.Ordinal)
        {
            ["messaging.client.consumed.messages"] = f.CreateCounter("nats_messages_in_total", "Messages received", labels).WithLabels(connectionName),
            ["nats.client.received.bytes"] = f.CreateCounter("nats_bytes_in_total", "Message bytes received (headers + payload)", labels).WithLabels(connectionName),
            ["messaging.client.published.messages"] = f.CreateCounter("nats_messages_out_total", "Messages published", labels).WithLabels(connectionName),
            ["nats.client.sent.bytes"] = f.CreateCounter("nats_bytes_out_total", "Message bytes published (headers + payload)", labels).WithLabels(connectionName),
            ["nats.client.reconnects"] = f.CreateCounter("nats_reconnects_total", "Successful reconnects", labels).WithLabels(connectionName),
            ["nats.client.messages.dropped"] = f.CreateCounter("nats_messages_dropped_total",
                "Messages dropped because a subscription's queue was full (slow consumer)", labels).WithLabels(connectionName),
        };
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == NatsTelemetry.SourceName && counters.TryGetValue(instrument.Name, out var counter))
                listener.EnableMeasurementEvents(instrument, counter);
        };
        _listener.SetMeasurementEventCallback<long>(static (_, value, _, state) => ((Counter.Child)state!).Inc(value));
        _listener.Start();
    }

    public void Dispose() => _listener.Dispose();
}
