using Certstream.Contracts;
using Certstream.Nats.KeyValue;

namespace Certstream.Ingestor.Checkpoints;

/// <summary>
/// Checkpoints in KV bucket <c>ct_checkpoints</c> (SPEC §3): key = log key, value = Contracts' <see cref="Checkpoint"/> JSON.
/// Failures throw; the follower counts them and retries with backoff.
/// </summary>
internal sealed class KvCheckpointStore(NatsKVStore bucket) : ICheckpointStore
{
    public async ValueTask<LogCheckpoint?> GetAsync(string logKey, CancellationToken cancellationToken)
    {
        var entry = await bucket.GetAsync(logKey, cancellationToken);
        if (entry is null) return null;
        // A value we cannot read must not silently restart the log at its head (a gap): fail, be counted, retry.
        if (!Checkpoint.TryParse(entry.Value.Span, out var checkpoint))
            throw new InvalidDataException($"{bucket.Bucket}/{logKey} revision {entry.Revision} is not a checkpoint");
        return new LogCheckpoint(checkpoint.NextIndex, checkpoint.TreeSize, checkpoint.Updated);
    }

    public async ValueTask PutAsync(string logKey, LogCheckpoint checkpoint, CancellationToken cancellationToken) =>
        await bucket.PutAsync(logKey, new Checkpoint(checkpoint.NextIndex, checkpoint.TreeSize, checkpoint.Updated).ToJson(), cancellationToken);
}
