using System.Security.Cryptography;
using Certstream.Ingestor.Checkpoints;
using Certstream.Ingestor.Http;
using Certstream.Ingestor.Logs;
using Certstream.Ingestor.Verification;

namespace Certstream.Ingestor.Tiled;

/// <summary>
/// Follows a static-ct-api log (docs/ingest.md, c2sp.org/static-ct-api): polls <c>/checkpoint</c>, fetches full data tiles
/// (up to <c>parallel_fetch</c> at once, published in order), and fetches the right-edge partial tile only
/// after the log has not reached the next full tile for <c>partial_tile_wait</c> (the rate log operators ask
/// for; certstream-server-go issue #104). Entries already published from a partial tile are
/// not published again when the full tile arrives: publishing resumes at the next index's offset.
/// </summary>
internal sealed class TiledFollower(LogDescriptor log, FollowerContext context, ITileLeafSource leaves, IssuerCache issuers)
    : LogFollower(log, context)
{
    // What a full tile's fetch reserves in the fetch buffer per entry: what this log's last tile's converted entries held.
    private double _bytesPerEntry = FetchBuffer.TypicalEntryBytes;

    private HashTileProofs? _proofs;

    protected override async Task<Attempt<TreeHead>> TryFetchHeadAsync(CancellationToken cancellationToken)
    {
        var fetched = await Context.Http.GetAsync(Log.Key, "checkpoint", Log.Resolve("checkpoint"), cancellationToken);
        if (!fetched.Ok) return Attempt<TreeHead>.Failure(fetched);
        if (CheckpointNote.TryParse(fetched.Body) is not { } note) return Attempt<TreeHead>.Failure(ErrorKind.Garbage, "checkpoint is not a signed note");
        return Attempt<TreeHead>.Success(Verifier?.HeadOf(note) ?? new TreeHead(note.TreeSize, 0, note.RootHash.ToArray(), []));
    }

    /// <summary>Static-ct logs serve no proofs: the same nodes are read from the hash tiles (docs/ingest.md "Verified logs").</summary>
    protected override Task<Attempt<IReadOnlyList<byte[]>>> TryFetchConsistencyAsync(ulong first, TreeHead second, CancellationToken cancellationToken)
    {
        _proofs ??= new HashTileProofs((path, ct) => Context.Http.GetAsync(Log.Key, "hash-tile", Log.Resolve(path), ct));
        return _proofs.TryBuildAsync(first, second.TreeSize, cancellationToken);
    }

    protected override async Task FollowAsync(CheckpointTracker tracker, CancellationToken cancellationToken)
    {
        var time = Context.Time;
        var treeSize = tracker.TreeSize;
        var next = tracker.NextIndex;
        var nextPoll = time.GetUtcNow();
        DateTimeOffset? waitingSince = null; // Since when entries wait in the right-edge partial tile.
        var partialRetryAt = DateTimeOffset.MinValue;
        var partialFailures = 0;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var now = time.GetUtcNow();
            if (now >= nextPoll)
            {
                var size = await FetchTreeSizeAsync("checkpoint", cancellationToken);
                if (size > treeSize)
                {
                    treeSize = size;
                    ObserveTreeSize(tracker, size);
                }
                nextPoll = time.GetUtcNow() + Settings.SthPollInterval;
            }

            var fullTiles = TileLayout.FullTiles(treeSize);
            var tile = TileLayout.TileOf(next);
            if (tile < fullTiles)
            {
                // Fetch a window of full tiles concurrently; publish them in index order.
                var last = Math.Min(fullTiles, tile + (ulong)Math.Max(1, Settings.ParallelFetch));
                var fetches = new List<(ulong Tile, Task<(FetchBuffer.Reservation Room, IReadOnlyList<ConvertedLeaf> Leaves)> Fetch)>();
                try
                {
                    for (var t = tile; t < last; t++)
                    {
                        var index = t;
                        fetches.Add((t, FetchFullTileAsync(index, cancellationToken)));
                    }
                    foreach (var (t, fetch) in fetches)
                    {
                        var (room, converted) = await fetch;
                        using (room) next = await PublishAsync(tracker, t, converted, next, cancellationToken);
                    }
                }
                finally
                {
                    // Leaving early (cancelled, or a failure): what the other fetches reserved goes back, now or when they end.
                    foreach (var (_, fetch) in fetches)
                    {
                        _ = fetch.ContinueWith(static f => { if (f.IsCompletedSuccessfully) f.Result.Room.Dispose(); },
                            CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
                    }
                }
                waitingSince = null;
                continue;
            }

            if (next < treeSize)
            {
                waitingSince ??= now;
                if (now - waitingSince >= Settings.PartialTileWait && now >= partialRetryAt)
                {
                    var width = (int)(treeSize - TileLayout.FirstIndexOf(tile));
                    var partial = await TryFetchPartialAsync(tile, width, cancellationToken);
                    if (partial.Ok)
                    {
                        partialFailures = 0;
                        Errors.Succeeded("partial data tile");
                        next = await PublishAsync(tracker, tile, partial.Value!, next, cancellationToken);
                        if (partial.Value!.Count > width) ObserveTreeSize(tracker, next);
                        waitingSince = null;
                    }
                    else
                    {
                        Errors.Failed(partial.Error, "partial data tile", partial.Detail);
                        partialRetryAt = time.GetUtcNow() + Context.Backoff.Delay(++partialFailures, partial.RetryAfter);
                    }
                    continue;
                }
            }

            // Sleep until the next poll, or until the partial tile is due.
            var wakeAt = nextPoll;
            if (waitingSince is { } since && next < treeSize)
            {
                var due = since + Settings.PartialTileWait;
                if (partialRetryAt > due) due = partialRetryAt;
                if (due < wakeAt) wakeAt = due;
            }
            var sleep = wakeAt - time.GetUtcNow();
            if (sleep > TimeSpan.Zero) await Task.Delay(sleep, time, cancellationToken);
        }
    }

    /// <summary>
    /// A full data tile, fetched until it succeeds, with its room in the fetch buffer: reserved before the request, then
    /// sized to what the converted entries hold; the caller disposes it once they are published.
    /// </summary>
    private async Task<(FetchBuffer.Reservation Room, IReadOnlyList<ConvertedLeaf> Leaves)> FetchFullTileAsync(ulong tile, CancellationToken cancellationToken)
    {
        var room = await Context.Buffer.ReserveAsync((long)(TileLayout.Width * _bytesPerEntry), cancellationToken);
        try
        {
            var converted = await UntilSuccessAsync("data tile", ct => TryFetchTileAsync(tile, TileLayout.Width, ct), cancellationToken);
            var bytes = converted.Sum(l => (long)l.LeafInput.Length + l.ExtraData.Length);
            _bytesPerEntry = (double)bytes / Math.Max(1, converted.Count);
            room.Resize(bytes);
            return (room, converted);
        }
        catch
        {
            room.Dispose();
            throw;
        }
    }

    /// <summary>Publishes the tile's leaves from <paramref name="next"/> on; returns the index after the last one.</summary>
    private async Task<ulong> PublishAsync(CheckpointTracker tracker, ulong tile, IReadOnlyList<ConvertedLeaf> converted, ulong next, CancellationToken cancellationToken)
    {
        var first = TileLayout.FirstIndexOf(tile);
        var fetchedAt = Context.Time.GetUtcNow();
        var published = 0;
        for (var i = (int)(next - first); i < converted.Count; i++)
        {
            var index = first + (ulong)i;
            var ack = await Context.Publisher.PublishAsync(Log, index, converted[i].LeafInput, converted[i].ExtraData, fetchedAt, cancellationToken);
            tracker.Track(index, ack);
            published++;
        }
        Context.Metrics.Published(Log.Key, published);
        return Math.Max(next, first + (ulong)converted.Count);
    }

    /// <summary>
    /// One try at the partial tile; a log may delete it once the full tile exists (c2sp.org/tlog-tiles), so a 404
    /// falls back to the full tile, which then proves the tree has grown to its end.
    /// </summary>
    private async Task<Attempt<IReadOnlyList<ConvertedLeaf>>> TryFetchPartialAsync(ulong tile, int width, CancellationToken cancellationToken)
    {
        var partial = await TryFetchTileAsync(tile, width, cancellationToken);
        if (partial.Error != ErrorKind.NotFound) return partial;
        var full = await TryFetchTileAsync(tile, TileLayout.Width, cancellationToken);
        return full.Ok ? full : partial;
    }

    private async Task<Attempt<IReadOnlyList<ConvertedLeaf>>> TryFetchTileAsync(ulong tile, int width, CancellationToken cancellationToken)
    {
        var fetched = await Context.Http.GetAsync(Log.Key, "data-tile", Log.Resolve(TilePath.Data(tile, width)), cancellationToken);
        if (!fetched.Ok) return Attempt<IReadOnlyList<ConvertedLeaf>>.Failure(fetched);
        try
        {
            var body = fetched.Body!;
            var resolved = new Dictionary<string, ReadOnlyMemory<byte>>(StringComparer.Ordinal);
            foreach (var fingerprint in leaves.IssuerFingerprints(body, width))
                resolved[fingerprint] = await issuers.GetAsync(fingerprint, ct => UntilSuccessAsync("issuer", c => TryFetchIssuerAsync(fingerprint, c), ct), cancellationToken);
            var converted = leaves.ToRfc6962(body, width, resolved);
            return converted.Count == width
                ? Attempt<IReadOnlyList<ConvertedLeaf>>.Success(converted)
                : Attempt<IReadOnlyList<ConvertedLeaf>>.Failure(ErrorKind.Malformed, $"tile {tile} gave {converted.Count} leaves, expected {width}");
        }
        catch (InvalidDataException e)
        {
            return Attempt<IReadOnlyList<ConvertedLeaf>>.Failure(ErrorKind.Malformed, $"tile {tile}: {e.Message}");
        }
    }

    private async Task<Attempt<byte[]>> TryFetchIssuerAsync(string fingerprint, CancellationToken cancellationToken)
    {
        var fetched = await Context.Http.GetAsync(Log.Key, "issuer", Log.Resolve("issuer/" + fingerprint), cancellationToken);
        if (!fetched.Ok) return Attempt<byte[]>.Failure(fetched);
        // The name is the hash of the body: check it, as certspotter does (c2sp.org/static-ct-api issuers).
        var body = fetched.Body!;
        var actual = Convert.ToHexStringLower(SHA256.HashData(body));
        return string.Equals(actual, fingerprint, StringComparison.OrdinalIgnoreCase)
            ? Attempt<byte[]>.Success(body)
            : Attempt<byte[]>.Failure(ErrorKind.IssuerMismatch, $"issuer/{fingerprint} has SHA-256 {actual}");
    }
}
