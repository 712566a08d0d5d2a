namespace Certstream.Ingestor.Checkpoints;

/// <summary>
/// Per-log checkpoints by log key (the integrator implements it over KV <c>ct_checkpoints</c>, README "NATS subjects").
/// Failures may throw any exception: the follower counts them and retries with backoff.
/// </summary>
internal interface ICheckpointStore
{
    /// <summary>The saved checkpoint, or null when the log has none.</summary>
    ValueTask<LogCheckpoint?> GetAsync(string logKey, CancellationToken cancellationToken);

    ValueTask PutAsync(string logKey, LogCheckpoint checkpoint, CancellationToken cancellationToken);
}
