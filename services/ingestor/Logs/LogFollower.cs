using Certstream.Ingestor.Checkpoints;
using Certstream.Ingestor.Http;
using Microsoft.Extensions.Logging;

namespace Certstream.Ingestor.Logs;

/// <summary>
/// What both followers share: where to start (checkpoint, else head or 0 — docs/ingest.md <c>start_at</c>), the
/// checkpoint saver, retry with backoff, the rewind after an un-acked publish, and graceful stop.
/// A subclass fetches and publishes; it only ever ends through cancellation.
/// </summary>
internal abstract class LogFollower : ILogFollower
{
    private CancellationTokenSource? _pass;

    protected LogFollower(LogDescriptor log, FollowerContext context)
    {
        Log = log;
        Context = context;
        Logger = context.Loggers.CreateLogger(GetType());
        Errors = new LogErrors(log.Key, context.Metrics, Logger);
    }

    protected LogDescriptor Log { get; }
    protected FollowerContext Context { get; }
    protected IngestorSettings Settings => Context.Settings;
    protected ILogger Logger { get; }
    protected LogErrors Errors { get; }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
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

    /// <summary>One try at the log's current tree size (get-sth or checkpoint).</summary>
    protected abstract Task<Attempt<ulong>> TryFetchTreeSizeAsync(CancellationToken cancellationToken);

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

        var treeSize = await UntilSuccessAsync("tree size", TryFetchTreeSizeAsync, cancellationToken);
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
