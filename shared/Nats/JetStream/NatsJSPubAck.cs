namespace Certstream.Nats.JetStream;

/// <summary>The stream's answer to a publish (§3.5). <see cref="Duplicate"/>: seen within the duplicate window; Seq is the original's.</summary>
public sealed record NatsJSPubAck
{
    public string Stream { get; init; } = "";
    public ulong Seq { get; init; }
    public bool Duplicate { get; init; }
}
