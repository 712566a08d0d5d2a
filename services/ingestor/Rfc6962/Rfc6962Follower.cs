using System.Globalization;
using Certstream.Ingestor.Checkpoints;
using Certstream.Ingestor.Http;
using Certstream.Ingestor.Logs;
using Certstream.Ingestor.Verification;
using Microsoft.Extensions.Logging;

namespace Certstream.Ingestor.Rfc6962;

/// <summary>
/// Follows an RFC 6962 log (docs/ingest.md): polls <c>get-sth</c>, fetches <c>get-entries</c> in cap-aligned ranges
/// with <c>parallel_fetch</c> requests in flight, continues short answers from where they ended and retries
/// a range's rest with backoff until it is done, so no index is skipped or published twice per pass.
/// </summary>
internal sealed class Rfc6962Follower(LogDescriptor log, FollowerContext context) : LogFollower(log, context)
{
    // A log serving the same broken entry this many times in a row gets it published as-is: the parser
    // rejects it visibly (ct.rejected.*) instead of the log stalling forever on one index.
    private const int MalformedRetriesBeforeAccepting = 5;

    // What a request reserves in the fetch buffer per entry asked for: this log's last answer, as served.
    private double _bytesPerEntry = FetchBuffer.TypicalEntryBytes;

    public BatchCap Cap { get; } = new(context.Settings.MaxBatch);

    protected override async Task<Attempt<TreeHead>> TryFetchHeadAsync(CancellationToken cancellationToken)
    {
        var fetched = await Context.Http.GetAsync(Log.Key, "get-sth", Log.Resolve("ct/v1/get-sth"), cancellationToken);
        if (!fetched.Ok) return Attempt<TreeHead>.Failure(fetched);
        return SignedTreeHead.TryParse(fetched.Body, out var sth)
            ? Attempt<TreeHead>.Success(new TreeHead(sth.TreeSize, sth.Timestamp, sth.RootHash.ToArray(), sth.Signature.ToArray()))
            : Attempt<TreeHead>.Failure(ErrorKind.Garbage, "get-sth answer is not a tree head");
    }

    /// <summary>RFC 6962 §4.4 <c>get-sth-consistency</c>: <c>{"consistency": [base64 node, …]}</c>.</summary>
    protected override async Task<Attempt<IReadOnlyList<byte[]>>> TryFetchConsistencyAsync(ulong first, TreeHead second, CancellationToken cancellationToken)
    {
        var uri = Log.Resolve(string.Create(CultureInfo.InvariantCulture, $"ct/v1/get-sth-consistency?first={first}&second={second.TreeSize}"));
        var fetched = await Context.Http.GetAsync(Log.Key, "get-sth-consistency", uri, cancellationToken);
        if (!fetched.Ok) return Attempt<IReadOnlyList<byte[]>>.Failure(fetched);
        return ConsistencyResponse.TryParse(fetched.Body) is { } proof
            ? Attempt<IReadOnlyList<byte[]>>.Success(proof)
            : Attempt<IReadOnlyList<byte[]>>.Failure(ErrorKind.Garbage, "get-sth-consistency answer is not a list of 32-byte hashes");
    }

    protected override async Task FollowAsync(CheckpointTracker tracker, CancellationToken cancellationToken)
    {
        var parallel = Math.Max(1, Settings.ParallelFetch);
        var treeSize = tracker.TreeSize;
        var next = tracker.NextIndex;
        var nextPoll = Context.Time.GetUtcNow(); // The saved tree size may be old: ask at once.
        var workers = new List<Task<Leftover?>>(parallel);
        // Rest of ranges whose worker stopped early to let the range be split by a newly learned cap.
        var leftovers = new Queue<Leftover>();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        try
        {
            while (true)
            {
                while (workers.Count < parallel && (leftovers.Count > 0 || next < treeSize))
                {
                    if (leftovers.TryDequeue(out var leftover))
                    {
                        var (start, end) = Cap.Plan(leftover.Start, leftover.End);
                        if (end < leftover.End) leftovers.Enqueue(new Leftover(end, leftover.End));
                        workers.Add(FetchRangeAsync(tracker, start, end, stop.Token));
                    }
                    else
                    {
                        var (start, end) = Cap.Plan(next, treeSize);
                        workers.Add(FetchRangeAsync(tracker, start, end, stop.Token));
                        next = end;
                    }
                }

                var now = Context.Time.GetUtcNow();
                if (next >= treeSize && now >= nextPoll)
                {
                    var size = await FetchTreeSizeAsync("get-sth", cancellationToken);
                    if (size > treeSize)
                    {
                        treeSize = size;
                        ObserveTreeSize(tracker, size);
                    }
                    nextPoll = Context.Time.GetUtcNow() + Settings.SthPollInterval;
                    continue;
                }

                // Wake when a worker finishes its range, or at the next poll once everything is scheduled.
                using var wake = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                var timer = next >= treeSize
                    ? Task.Delay(nextPoll - now, Context.Time, wake.Token)
                    : Task.Delay(Timeout.InfiniteTimeSpan, wake.Token);
                await Task.WhenAny(workers.Append(timer));
                await wake.CancelAsync();
                foreach (var done in workers.Where(w => w.IsCompleted).ToList())
                {
                    workers.Remove(done);
                    // Rethrows cancellation, and bugs (the supervisor restarts the follower).
                    if (await done is { } rest) leftovers.Enqueue(rest);
                }
                cancellationToken.ThrowIfCancellationRequested();
            }
        }
        finally
        {
            await stop.CancelAsync();
            try
            {
                await Task.WhenAll(workers);
            }
            catch (Exception)
            {
                // Ended by our cancellation, or the same failure FollowAsync is already leaving with.
            }
        }
    }

    /// <summary>
    /// Fetches and publishes [start, end), retrying failures until done. After a short answer it continues in
    /// place, unless the rest is larger than the cap: then it returns the rest for the scheduler to split across
    /// workers (the first probe of a log asks for far more than a 32-cap log gives).
    /// </summary>
    private async Task<Leftover?> FetchRangeAsync(CheckpointTracker tracker, ulong start, ulong end, CancellationToken cancellationToken)
    {
        var at = start;
        var failures = 0;
        var malformedAt = ulong.MaxValue;
        var malformedRepeats = 0;
        while (at < end)
        {
            var requested = end - at;
            // Which consecutive time the index at `at` would be found malformed, should it be.
            var malformedTry = malformedAt == at ? malformedRepeats + 1 : 1;
            EntriesFetch answer;
            var count = 0;
            // Room in the fetch buffer from the request until the last entry was handed to the publisher (which copies it), so
            // the answers held across all logs stay bounded however many logs are catching up: first the answer's expected
            // size, then what its decoded entries really hold.
            var expected = Math.Min(requested, (ulong)Cap.Current) * _bytesPerEntry;
            using (var room = await Context.Buffer.ReserveAsync((long)expected, cancellationToken))
            {
                answer = await FetchEntriesAsync(at, end, malformedTry, cancellationToken);
                if (answer.Entries is { } entries)
                {
                    if (answer.Error == ErrorKind.None) _bytesPerEntry = (double)answer.BodyBytes / entries.Count;
                    room.Resize(answer.Response!.HeldBytes);
                    // A log must not return more than asked; extra entries belong to another range.
                    count = (int)Math.Min((ulong)entries.Count, requested);
                    using (answer.Response)
                    {
                        for (var i = 0; i < count; i++)
                        {
                            var ack = await Context.Publisher.PublishAsync(Log, at + (ulong)i, entries[i].LeafInput, entries[i].ExtraData, answer.FetchedAt, cancellationToken);
                            tracker.Track(at + (ulong)i, ack);
                        }
                    }
                }
            }

            if (answer.Entries is null)
            {
                if (answer.Error == ErrorKind.Malformed)
                    (malformedAt, malformedRepeats) = (at, malformedTry);
                Errors.Failed(answer.Error, "get-entries", answer.Detail);
                await Task.Delay(Context.Backoff.Delay(++failures, answer.RetryAfter), Context.Time, cancellationToken);
                continue;
            }

            failures = 0;
            Errors.Succeeded("get-entries");
            Context.Metrics.Published(Log.Key, count);
            at += (ulong)count;
            if ((ulong)count < requested && end - at > (ulong)Cap.Current) return new Leftover(at, end);
        }
        return null;
    }

    /// <summary>
    /// One get-entries request for [at, end), parsed: the entries to publish (null on failure) or the error. The body's pooled
    /// chunks are returned as soon as it is parsed, before the entries are published.
    /// </summary>
    /// <param name="malformedTry">Which consecutive time this index would be found malformed, should it be.</param>
    private async Task<EntriesFetch> FetchEntriesAsync(ulong at, ulong end, int malformedTry, CancellationToken cancellationToken)
    {
        var requested = end - at;
        var uri = Log.Resolve(string.Create(CultureInfo.InvariantCulture, $"ct/v1/get-entries?start={at}&end={end - 1}"));
        var (fetched, body) = await Context.Http.GetPooledAsync(Log.Key, "get-entries", uri, cancellationToken);
        var fetchedAt = Context.Time.GetUtcNow();
        if (body is null) return EntriesFetch.Failed(fetched.Error, fetched.Detail, fetchedAt, fetched.RetryAfter);

        EntriesResponse? answer;
        var bodyBytes = body.Length;
        using (body) answer = EntriesResponse.TryParse(body.Sequence);
        if (answer is null) return EntriesFetch.Failed(ErrorKind.Garbage, "get-entries answer is not JSON with an entries array", fetchedAt);
        if (!answer.HasMalformed && answer.Entries.Count > 0) Cap.Observe(requested, answer.Entries.Count);
        // Publish the good prefix; the next request starts at the bad entry.
        if (answer.Entries.Count > 0) return new EntriesFetch(answer, answer.Entries, ErrorKind.None, "", null, fetchedAt, bodyBytes);
        if (!answer.HasMalformed)
        {
            answer.Dispose();
            return EntriesFetch.Failed(ErrorKind.Garbage, "get-entries answer has no entries", fetchedAt);
        }
        var detail = answer.MalformedDetail;
        if (malformedTry >= MalformedRetriesBeforeAccepting && answer.Suspect is { } suspect)
        {
            Errors.Failed(ErrorKind.Malformed, "get-entries", detail);
            Logger.LogWarning("log {Log}: index {Index} stays malformed after {Tries} tries; publishing it as served", Log.Key, at, malformedTry);
            return new EntriesFetch(answer, [suspect], ErrorKind.Malformed, detail, null, fetchedAt, bodyBytes);
        }
        answer.Dispose();
        return EntriesFetch.Failed(ErrorKind.Malformed, detail, fetchedAt);
    }

    /// <summary>
    /// What to publish (<see cref="Entries"/>, backed by <see cref="Response"/>, which the caller disposes once published), or why
    /// not; <see cref="BodyBytes"/> is the size of the answer as served.
    /// </summary>
    private readonly record struct EntriesFetch(EntriesResponse? Response, IReadOnlyList<LogEntry>? Entries, ErrorKind Error, string Detail,
        TimeSpan? RetryAfter, DateTimeOffset FetchedAt, long BodyBytes = 0)
    {
        public static EntriesFetch Failed(ErrorKind error, string detail, DateTimeOffset fetchedAt, TimeSpan? retryAfter = null) =>
            new(null, null, error, detail, retryAfter, fetchedAt);
    }

    private readonly record struct Leftover(ulong Start, ulong End);
}
