using Certstream.Hosting.Configuration;
using Certstream.Ingestor.Checkpoints;
using Certstream.Ingestor.Http;
using Certstream.Ingestor.Verification;
using Microsoft.Extensions.Logging;

namespace Certstream.Ingestor.Logs;

/// <summary>
/// What both followers share: where to start (checkpoint, else head or 0 — docs/ingest.md <c>start_at</c>), the
/// checkpoint saver, retry with backoff, the rewind after an un-acked publish, graceful stop, and the tree head checks of
/// docs/ingest.md "Verified logs" (signature, then consistency with the last verified head of this run).
/// A subclass fetches and publishes; it only ever ends through cancellation.
/// </summary>
internal abstract class LogFollower : ILogFollower
{
    private readonly TreeHeadVerifier? _verifier;
    private CancellationTokenSource? _pass;
    private CancellationToken _run;
    // The last head whose signature verified (this run only), and the check failing now (one log line per failing spell).
    private TreeHead? _verified;
    private VerifyCheck? _failing;

    protected LogFollower(LogDescriptor log, FollowerContext context)
    {
        Log = log;
        Context = context;
        Logger = context.Loggers.CreateLogger(GetType());
        Errors = new LogErrors(log.Key, context.Metrics, Logger);
        _verifier = context.Settings.Verify == VerifyMode.Off ? null : TreeHeadVerifier.TryCreate(log.PublicKey);
    }

    /// <summary>The log's key, or null when heads are not verified (<c>verify: off</c>, or no usable key).</summary>
    protected TreeHeadVerifier? Verifier => _verifier;

    protected LogDescriptor Log { get; }
    protected FollowerContext Context { get; }
    protected IngestorSettings Settings => Context.Settings;
    protected ILogger Logger { get; }
    protected LogErrors Errors { get; }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            await FollowFromStartAsync(cancellationToken);
        }
        finally
        {
            _verifier?.Dispose();
        }
    }

    private async Task FollowFromStartAsync(CancellationToken cancellationToken)
    {
        _run = cancellationToken;
        if (Settings.Verify != VerifyMode.Off && _verifier is null)
        {
            Context.Metrics.VerifyFailed(Log.Key, VerifyCheck.NoKey);
            var why = Log.PublicKey.Length == 0 ? "no public key is known" : "its public key is not a base64 EC or RSA SubjectPublicKeyInfo";
            if (Settings.Verify == VerifyMode.Enforce)
            {
                try
                {
                    await HaltAsync($"{why}, so its tree heads cannot be verified");
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    return; // Stopping, like a follower that has nothing to save.
                }
            }
            Logger.LogWarning("log {Log}: {Why}; following it unverified (general.verify: warn)", Log.Key, why);
        }
        var start = await ResolveStartAsync(cancellationToken);
        Logger.LogInformation("log {Log}: following from index {Next} (tree size {TreeSize})", Log.Key, start.NextIndex, start.TreeSize);
        var tracker = new CheckpointTracker(Log.Key, start, Context.Checkpoints, Context.Time, OnPublishFailed);
        Context.Metrics.Position(Log.Key, tracker.TreeSize, tracker.NextIndex);
        using var saving = new CancellationTokenSource();
        var saver = SaveLoopAsync(tracker, saving.Token);
        try
        {
            var rewinds = 0;
            while (true)
            {
                using var pass = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                Volatile.Write(ref _pass, pass);
                try
                {
                    await FollowAsync(tracker, pass.Token);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    // An entry was not acked: publish again from the acked prefix (README "NATS subjects" Msg-Id dedupe drops repeats).
                    Volatile.Write(ref _pass, null);
                    await tracker.WaitDrainedAsync(Settings.ShutdownGrace, cancellationToken);
                    await Task.Delay(Context.Backoff.Delay(++rewinds), Context.Time, cancellationToken);
                    Logger.LogInformation("log {Log}: rewinding to acked index {Next}", Log.Key, tracker.NextIndex);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping: fall through to the final save.
        }
        finally
        {
            Volatile.Write(ref _pass, null);
            // Let in-flight publishes be acked (bounded), then checkpoint only the acked prefix.
            await tracker.WaitDrainedAsync(Settings.ShutdownGrace, CancellationToken.None);
            await saving.CancelAsync();
            await saver;
            using var final = new CancellationTokenSource(Settings.ShutdownGrace);
            try
            {
                await tracker.SaveIfChangedAsync(final.Token);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                Logger.LogWarning(e, "log {Log}: final checkpoint save failed; a restart re-fetches from {Next}", Log.Key, tracker.NextIndex);
            }
        }
    }

    /// <summary>Fetches and publishes from <see cref="CheckpointTracker.NextIndex"/> on, forever; ends only by cancellation.</summary>
    protected abstract Task FollowAsync(CheckpointTracker tracker, CancellationToken cancellationToken);

    /// <summary>One try at the log's current head (get-sth, or the checkpoint with its RFC 6962 note signature).</summary>
    protected abstract Task<Attempt<TreeHead>> TryFetchHeadAsync(CancellationToken cancellationToken);

    /// <summary>One try at the consistency proof from size <paramref name="first"/> to <paramref name="second"/> (0 &lt; first &lt; second's size).</summary>
    protected abstract Task<Attempt<IReadOnlyList<byte[]>>> TryFetchConsistencyAsync(ulong first, TreeHead second, CancellationToken cancellationToken);

    /// <summary>
    /// The log's current tree size, from a head checked as <c>general.verify</c> says (docs/ingest.md "Verified logs"). A head that
    /// fails is counted; under warn it is followed all the same, under enforce this never returns: following stops until cancellation.
    /// </summary>
    protected async Task<ulong> FetchTreeSizeAsync(string what, CancellationToken cancellationToken)
    {
        var head = await UntilSuccessAsync(what, TryFetchHeadAsync, cancellationToken);
        if (_verifier is null || head.SameAs(_verified)) return head.TreeSize;
        var failure = await CheckAsync(_verifier, head, cancellationToken);
        if (failure is { Check: null })
        {
            // No proof could be had (the log keeps refusing or failing get-sth-consistency): not a verdict on the log, and not a
            // reason to stop following it. The head stays unverified; the next one is checked against the last verified head.
            Logger.LogWarning("log {Log}: {Detail}; following it, the next tree head is checked against tree head {Verified}", Log.Key, failure.Value.Detail, _verified?.TreeSize);
            return head.TreeSize;
        }
        if (failure is not { Check: { } failedCheck } failed)
        {
            _verified = head;
            Context.Metrics.HeadVerified(Log.Key);
            if (_failing is { } was)
                Logger.LogInformation("log {Log}: tree head {TreeSize} verified again after {Check} failures", Log.Key, head.TreeSize, IngestorMetrics.CheckName(was));
            _failing = null;
            return head.TreeSize;
        }

        Context.Metrics.VerifyFailed(Log.Key, failedCheck);
        if (Settings.Verify == VerifyMode.Enforce) await HaltAsync(failed.Detail); // ends by cancellation only
        if (_failing != failedCheck)
            Logger.LogWarning("log {Log}: {Detail}; following it all the same (general.verify: warn)", Log.Key, failed.Detail);
        _failing = failedCheck;
        // A signed head that does not extend the previous one becomes the base for the next check, so one fork counts once.
        if (failedCheck == VerifyCheck.Consistency) _verified = head;
        return head.TreeSize;
    }

    /// <summary>How many times a consistency proof is asked for before the head is left unchecked.</summary>
    private const int ProofTries = 4;

    /// <summary>Null when the head verified; else the failed check and why, or a null check when no proof could be had.</summary>
    private async Task<(VerifyCheck? Check, string Detail)?> CheckAsync(TreeHeadVerifier verifier, TreeHead head, CancellationToken cancellationToken)
    {
        if (!verifier.Verifies(head)) return (VerifyCheck.Signature, $"the signature of tree head {head.TreeSize} is not the log's");
        if (_verified is not { } previous) return null; // The first head of a run: nothing to be consistent with.
        if (head.TreeSize < previous.TreeSize)
            return (VerifyCheck.Consistency, $"tree head {head.TreeSize} is smaller than the verified tree head {previous.TreeSize}");
        IReadOnlyList<byte[]> proof = [];
        if (previous.TreeSize > 0 && head.TreeSize > previous.TreeSize)
        {
            if (await TriesAsync("consistency proof", ct => TryFetchConsistencyAsync(previous.TreeSize, head, ct), ProofTries, cancellationToken) is not { } fetched)
                return (null, $"no consistency proof from tree head {previous.TreeSize} to {head.TreeSize} after {ProofTries} tries");
            proof = fetched;
        }
        return ConsistencyProof.Verify(previous.TreeSize, head.TreeSize, previous.RootHash, head.RootHash, proof)
            ? null
            : (VerifyCheck.Consistency, $"tree head {head.TreeSize} is not consistent with the verified tree head {previous.TreeSize}");
    }

    /// <summary>
    /// <c>verify: enforce</c>: stop following, keeping the lease, until the run is cancelled (a restart follows the log again).
    /// Throws <see cref="OperationCanceledException"/> then.
    /// </summary>
    private async Task HaltAsync(string reason)
    {
        Context.Metrics.Halted(Log.Key, true);
        Logger.LogError("log {Log}: {Reason}; general.verify is enforce, so following it has stopped until the ingestor is restarted", Log.Key, reason);
        try
        {
            await Task.Delay(Timeout.Infinite, _run);
        }
        finally
        {
            Context.Metrics.Halted(Log.Key, false);
        }
    }

    /// <summary>Runs <paramref name="attempt"/> up to <paramref name="tries"/> times, backing off between failures; default when none succeeded.</summary>
    private async Task<T?> TriesAsync<T>(string what, Func<CancellationToken, Task<Attempt<T>>> attempt, int tries, CancellationToken cancellationToken)
    {
        for (var failures = 1; ; failures++)
        {
            var result = await attempt(cancellationToken);
            if (result.Ok)
            {
                Errors.Succeeded(what);
                return result.Value;
            }
            Errors.Failed(result.Error, what, result.Detail);
            if (failures >= tries) return default;
            await Task.Delay(Context.Backoff.Delay(failures, result.RetryAfter), Context.Time, cancellationToken);
        }
    }

    /// <summary>Runs <paramref name="attempt"/> until it succeeds, backing off (and honouring Retry-After) between failures.</summary>
    protected async Task<T> UntilSuccessAsync<T>(string what, Func<CancellationToken, Task<Attempt<T>>> attempt, CancellationToken cancellationToken)
    {
        for (var failures = 1; ; failures++)
        {
            var result = await attempt(cancellationToken);
            if (result.Ok)
            {
                Errors.Succeeded(what);
                return result.Value!;
            }
            Errors.Failed(result.Error, what, result.Detail);
            await Task.Delay(Context.Backoff.Delay(failures, result.RetryAfter), Context.Time, cancellationToken);
        }
    }

    /// <summary>Records a new tree size (metrics, tracker).</summary>
    protected void ObserveTreeSize(CheckpointTracker tracker, ulong treeSize)
    {
        tracker.ObserveTreeSize(treeSize);
        Context.Metrics.Position(Log.Key, tracker.TreeSize, tracker.NextIndex);
    }

    private async Task<LogCheckpoint> ResolveStartAsync(CancellationToken cancellationToken)
    {
        var saved = await UntilSuccessAsync("checkpoint read", async ct =>
        {
            try
            {
                return Attempt<LogCheckpoint?>.Success(await Context.Checkpoints.GetAsync(Log.Key, ct));
            }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                return Attempt<LogCheckpoint?>.Failure(ErrorKind.CheckpointStore, e.Message);
            }
        }, cancellationToken);
        if (saved is not null) return saved;

        var treeSize = await FetchTreeSizeAsync("tree size", cancellationToken);
        var start = new LogCheckpoint(Settings.StartAt == StartPosition.Origin ? 0 : treeSize, treeSize, Context.Time.GetUtcNow());
        // Saved at once so a restart resumes here rather than at a newer head, leaving no gap.
        await UntilSuccessAsync("checkpoint write", async ct =>
        {
            try
            {
                await Context.Checkpoints.PutAsync(Log.Key, start, ct);
                return Attempt<bool>.Success(true);
            }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                return Attempt<bool>.Failure(ErrorKind.CheckpointStore, e.Message);
            }
        }, cancellationToken);
        return start;
    }

    private async Task SaveLoopAsync(CheckpointTracker tracker, CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                await Task.Delay(Settings.CheckpointSaveInterval, Context.Time, cancellationToken);
                Context.Metrics.Position(Log.Key, tracker.TreeSize, tracker.NextIndex);
                try
                {
                    await tracker.SaveIfChangedAsync(cancellationToken);
                }
                catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
                {
                    Errors.Failed(ErrorKind.CheckpointStore, "checkpoint write", e.Message);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopped by RunAsync, which saves once more.
        }
    }

    private void OnPublishFailed(ulong index, Exception? error)
    {
        var pass = Volatile.Read(ref _pass);
        if (pass is null || pass.IsCancellationRequested) return; // Stopping, or already rewinding.
        Errors.Failed(ErrorKind.Publish, "publish", $"index {index}: {error?.Message ?? "cancelled"}");
        // This runs on the thread that completed the ack (the publisher's I/O loop): cancel the pass elsewhere,
        // so the follower's cancellation callbacks and continuations never run on it.
        ThreadPool.QueueUserWorkItem(static p =>
        {
            try
            {
                p.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // The pass ended meanwhile.
            }
        }, pass, preferLocal: false);
    }
}
