namespace Certstream.Nats;

/// <summary>Per-subscription options. Unset limits fall back to <see cref="NatsOpts"/>.</summary>
public sealed record NatsSubOpts
{
    /// <summary>Unsubscribe automatically after this many messages (UNSUB sid max, §1.5).</summary>
    public int? MaxMsgs { get; init; }

    /// <summary>Queue bound in messages; when full, new messages are dropped and counted (slow consumer).</summary>
    public int? PendingMsgsLimit { get; init; }

    /// <summary>Queue bound in bytes (headers + payload).</summary>
    public long? PendingBytesLimit { get; init; }
}
