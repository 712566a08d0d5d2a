using System.Diagnostics.Metrics;

namespace Certstream.Nats.Internal;

/// <summary>
/// Meter <c>Certstream.Nats</c>. The hot paths only bump plain fields (each has one writer: the publish lock,
/// the read loop, or the connection loop); observable counters read them on collection, so a publish costs no
/// metric call and no allocation.
/// </summary>
internal sealed class NatsMetrics : IDisposable
{
    public const string MeterName = "Certstream.Nats";

    private readonly Meter _meter;

    public long MsgsIn;
    public long BytesIn;
    public long MsgsOut;
    public long BytesOut;
    public long Reconnects;
    public long Dropped;

    public NatsMetrics(string connectionName)
    {
        _meter = new Meter(MeterName);
        var tag = new KeyValuePair<string, object?>("connection", connectionName);
        _meter.CreateObservableCounter("nats.messages.in", () => new Measurement<long>(Volatile.Read(ref MsgsIn), tag), "{message}", "Messages received");
        _meter.CreateObservableCounter("nats.bytes.in", () => new Measurement<long>(Volatile.Read(ref BytesIn), tag), "By", "Message bytes received (headers + payload)");
        _meter.CreateObservableCounter("nats.messages.out", () => new Measurement<long>(Volatile.Read(ref MsgsOut), tag), "{message}", "Messages published");
        _meter.CreateObservableCounter("nats.bytes.out", () => new Measurement<long>(Volatile.Read(ref BytesOut), tag), "By", "Message bytes published (headers + payload)");
        _meter.CreateObservableCounter("nats.reconnects", () => new Measurement<long>(Volatile.Read(ref Reconnects), tag), "{reconnect}", "Successful reconnects");
        _meter.CreateObservableCounter("nats.messages.dropped", () => new Measurement<long>(Volatile.Read(ref Dropped), tag), "{message}", "Messages dropped because a subscription's queue was full (slow consumer)");
    }

    public void Dispose() => _meter.Dispose();
}
