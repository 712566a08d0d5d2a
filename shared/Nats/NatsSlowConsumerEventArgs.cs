namespace Certstream.Nats;

/// <summary>A subscription's queue overflowed and messages are being dropped (raised once per episode).</summary>
public sealed class NatsSlowConsumerEventArgs(string subject, long droppedSoFar) : EventArgs
{
    public string Subject { get; } = subject;
    public long DroppedSoFar { get; } = droppedSoFar;
}
