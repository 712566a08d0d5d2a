namespace Certstream.Nats.JetStream;

/// <summary>Body of CONSUMER.MSG.NEXT (§3.7). Null fields are left out.</summary>
internal sealed record PullRequest
{
    public int Batch { get; init; }
    public TimeSpan? Expires { get; init; }
    public bool? NoWait { get; init; }
    public long? MaxBytes { get; init; }
    public TimeSpan? IdleHeartbeat { get; init; }
}
