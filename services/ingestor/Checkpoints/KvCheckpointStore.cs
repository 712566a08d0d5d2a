using Certstream.Contracts;
using NATS.Client.KeyValueStore;

namespace Certstream.Ingestor.Checkpoints;

/// <summary>
/// Checkpoints in KV bucket <c>ct_checkpoints</c> (README "NATS subjects"): key = log key, value = Contracts'
/// <see cref="Checkpoint"/> JSON. A key never written (or deleted) is "no checkpoint"; other failures throw, and the
/// follower counts them and retries with backoff. NATS.Net holds a request while it reconnects: each one is bounded by
/// <see cref="Timeout"/>, so a save at shutdown cannot hang on a lost server.
/// </summary>
internal sealed class KvCheckpointStore(INatsKVStore bucket) : ICheckpointStore
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    public async ValueTask<LogCheckpoint?> GetAsync(string logKey, CancellationToken cancellationToken)
    {
        using var bounded = Bounded(cancellationToken);
        var result = await bucket.TryGetEntryAsync<byte[]>(logKey, cancellationToken: bounded.Token);
        if (!result.Success)
        {
            if (result.Error is NatsKVKeyNotFoundException or NatsKVKeyDeletedException) return null;
            throw result.Error;
        }
        var entry = result.Value;
        // A value we cannot read must not silently restart the log at its head (a gap): fail, be counted, retry.
        if (entry.Value is null || !Checkpoint.TryParse(entry.Value, out var checkpoint))
            throw new InvalidDataException($"{bucket.Bucket}/{logKey} revision {entry.Revision} is not a checkpoint");
        return new LogCheckpoint(checkpoint.NextIndex, checkpoint.TreeSize, checkpoint.Updated);
    }

    public async ValueTask PutAsync(string logKey, LogCheckpoint checkpoint, CancellationToken cancellationToken)
    {
        using var bounded = Bounded(cancellationToken);
        await bucket.PutAsync(logKey, new Checkpoint(checkpoint.NextIndex, checkpoint.TreeSize, checkpoint.Updated).ToJson(), cancellationToken: bounded.Token);
    }

    private static CancellationTokenSource Bounded(CancellationToken cancellationToken)
    {
        var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        bounded.CancelAfter(Timeout);
        return bounded;
    }
}
