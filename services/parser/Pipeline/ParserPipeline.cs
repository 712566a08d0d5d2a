using System.Globalization;
using System.Text;
using System.Threading.Channels;
using Certstream.Contracts;
using Microsoft.Extensions.Logging;
using NATS.Client.Core;
using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;
using RawMsg = NATS.Client.JetStream.INatsJSMsg<System.ReadOnlyMemory<byte>>;

namespace Certstream.Parser.Pipeline;

/// <summary>
/// Fetches batches from the shared <c>parser</c> consumer, decodes each batch across the workers, publishes every entry's
/// three messages (or its rejection), makes sure the server has them (a PING round trip), and only then acks (README
/// "Architecture"). A crash between publish and ack redelivers the batch: at-least-once, never a lost entry. The next
/// batch is fetched while one is being worked on.
/// </summary>
internal sealed class ParserPipeline : IDisposable
{
    /// <summary>How long an idle pull waits for entries; also the longest a stop waits for the fetch in progress.</summary>
    public static readonly TimeSpan FetchExpires = TimeSpan.FromSeconds(1);

    /// <summary>How long a batch's publishes (and then its acks) may take before it is given back for redelivery.</summary>
    public static readonly TimeSpan PublishTimeout = TimeSpan.FromSeconds(10);

    // Largest number of distinct logs whose subjects are kept; far above the ~100 logs that exist.
    private const int MaxCachedLogs = 4096;

    private readonly INatsConnection _connection;
    private readonly NatsJSContext _js;
    private readonly OutputTopology? _outputs;
    private readonly ParserMetrics _metrics;
    private readonly ILogger _logger;
    private readonly int _fetchBatch;
    private readonly DecodeWorker[] _workers;
    private readonly Dictionary<string, LogSubjects> _subjects = new(StringComparer.Ordinal);
    private string? _sourceUrl;
    private string _sourceHeader = "";
    private DecodedEntry[] _decoded = [];
    private Task<PubAckResponse>?[] _claims = [];
    private readonly List<Task<PubAckResponse>> _stored = [];

    // Which of full, lite, domains CT_HISTORY keeps.
    private readonly bool[] _keeps;
    private const string MsgIdHeader = "Nats-Msg-Id: ";

    private long _claimsPausedUntil;

    /// <summary>How long claiming rests after claims failed (CT_UNIQUE missing or refusing) before it is tried again.</summary>
    public static readonly TimeSpan ClaimPause = TimeSpan.FromSeconds(10);
    private long _handled;

    /// <param name="outputs">The output streams; with unique on, each certificate is claimed in CT_UNIQUE before it is published.</param>
    public ParserPipeline(INatsConnection connection, ParserMetrics metrics, ILogger logger, int concurrency, int fetchBatch, OutputTopology? outputs = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentOutOfRangeException.ThrowIfLessThan(concurrency, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(fetchBatch, 1);
        _connection = connection;
        _js = new NatsJSContext(connection);
        _outputs = outputs;
        _keeps = [outputs?.Keeps("full") == true, outputs?.Keeps("lite") == true, outputs?.Keeps("domains") == true];
        _metrics = metrics;
        _logger = logger;
        _fetchBatch = fetchBatch;
        _workers = new DecodeWorker[concurrency];
        for (var i = 0; i < concurrency; i++)
            _workers[i] = new DecodeWorker(metrics);
    }

    /// <summary>Why the last batch could not be published (and went back for redelivery); null once one was.</summary>
    public string? PublishProblem { get; private set; }

    /// <summary>Entries this pipeline acked (published) or terminated (rejected).</summary>
    public long Handled => Interlocked.Read(ref _handled);

    /// <summary>
    /// Runs until <paramref name="stopFetching"/> (then finishes what was fetched) or until a fetch fails (then finishes
    /// what was fetched and returns the failure, so that the caller can re-bind the consumer). <paramref name="abort"/>
    /// gives up at once: work not acked by then is redelivered after ack_wait.
    /// </summary>
    public async Task<Exception?> RunAsync(INatsJSConsumer consumer, CancellationToken stopFetching, CancellationToken abort)
    {
        ArgumentNullException.ThrowIfNull(consumer);
        // Entries are handed over one by one as they arrive and worked on in batches of whatever has arrived (up to
        // fetch_batch): a quiet stream is decoded at once instead of waiting for a pull to fill, a busy one gets full
        // batches because entries pile up while the previous batch is worked on. The channel holds one batch's worth,
        // so little is held unacked.
        var arrived = Channel.CreateBounded<RawMsg>(new BoundedChannelOptions(_fetchBatch) { SingleReader = true, SingleWriter = true });
        var fetching = FetchLoopAsync(consumer, arrived.Writer, stopFetching, abort);
        var batch = new List<RawMsg>(_fetchBatch);
        while (await arrived.Reader.WaitToReadAsync(abort))
        {
            batch.Clear();
            while (batch.Count < _fetchBatch && arrived.Reader.TryRead(out var msg))
                batch.Add(msg);
            await ProcessAsync(batch, abort);
        }
        var failure = await fetching;
        try
        {
            // The last acks are only buffered: make sure the server has them before returning (SIGTERM).
            await _connection.PingAsync(abort);
        }
        catch (Exception e) when (e is NatsException or TimeoutException)
        {
            failure ??= e; // unconfirmed acks only cost redeliveries
        }
        return failure;
    }

    public void Dispose()
    {
        foreach (var worker in _workers)
            worker.Dispose();
    }

    private async Task<Exception?> FetchLoopAsync(INatsJSConsumer consumer, ChannelWriter<RawMsg> arrived, CancellationToken stopFetching, CancellationToken abort)
    {
        // Heartbeats while idle: a pull the server dropped without a 408 (nats-server 2.9 can) ends after two missed ones
        // (NATS.Net's rule; 0.5 s is its shortest heartbeat), not after its expiry timer of Expires + 5 s.
        var opts = new NatsJSFetchOpts { MaxMsgs = _fetchBatch, Expires = FetchExpires, IdleHeartbeat = FetchExpires / 2 };
        Exception? failure = null;
        try
        {
            while (failure is null && !stopFetching.IsCancellationRequested)
            {
                try
                {
                    // Not cancelled by stopFetching: a pull cut short would strand delivered entries until ack_wait.
                    await foreach (var msg in consumer.FetchAsync<ReadOnlyMemory<byte>>(opts, cancellationToken: abort))
                        await arrived.WriteAsync(msg, abort);
                }
                catch (NatsException e)
                {
                    failure = e; // what arrived before the failure is still worked on
                }
            }
        }
        finally
        {
            arrived.TryComplete();
        }
        return failure;
    }

    private async ValueTask ProcessAsync(List<RawMsg> batch, CancellationToken abort)
    {
        _metrics.BatchSize(batch.Count);
        Decode(batch);
        try
        {
            // NATS.Net holds writes while it reconnects: a batch waits at most PublishTimeout, then goes back to the stream.
            using var bounded = Bounded(abort);
            if (_outputs is { UniqueEnabled: true })
                await ClaimAsync(batch, bounded.Token);
            await PublishAsync(batch, bounded.Token);
            // Publish before ack: the PONG proves the server has every message of the batch.
            await _connection.PingAsync(bounded.Token);
        }
        catch (Exception e) when (e is NatsException or TimeoutException || (e is OperationCanceledException && !abort.IsCancellationRequested))
        {
            _logger.LogWarning("Publishing a batch of {Count} entries failed, asking for redelivery: {Error}", batch.Count, Describe(e));
            PublishProblem = Describe(e);
            // CT_HISTORY deleted while running: made again (between leader elections in a cluster this finds it there).
            if (e is NatsJSPublishNoResponseException && _outputs is not null) await RecreateOutputsAsync(abort);
            await NakAllAsync(batch, abort);
            return;
        }
        PublishProblem = null;

        try
        {
            using var bounded = Bounded(abort);
            for (var i = 0; i < batch.Count; i++)
            {
                var entry = _decoded[i];
                // +TERM: an undecodable entry would fail the same way on every replica.
                if (entry.Ok)
                    await batch[i].AckAsync(cancellationToken: bounded.Token);
                else
                    await batch[i].AckTerminateAsync(cancellationToken: bounded.Token);
                _metrics.Entry(entry.Log, entry.Ok, entry.IsPrecert);
                Interlocked.Increment(ref _handled);
            }
        }
        catch (Exception e) when (e is NatsException or TimeoutException || (e is OperationCanceledException && !abort.IsCancellationRequested))
        {
            // The messages went out; the entries left unacked come back after ack_wait and are published once more.
            _logger.LogWarning("Acking a batch of {Count} entries failed; the unacked ones are redelivered: {Error}", batch.Count, Describe(e));
        }
    }

    private static CancellationTokenSource Bounded(CancellationToken abort)
    {
        var bounded = CancellationTokenSource.CreateLinkedTokenSource(abort);
        bounded.CancelAfter(PublishTimeout);
        return bounded;
    }

    private static string Describe(Exception e) => e is OperationCanceledException ? $"not done within {PublishTimeout.TotalSeconds:0} s (NATS unreachable?)" : e.Message;

    private void Decode(List<RawMsg> batch)
    {
        if (_decoded.Length < batch.Count)
            _decoded = new DecodedEntry[Math.Max(batch.Count, _fetchBatch)];
        var decoded = _decoded;
        var workers = Math.Min(_workers.Length, batch.Count);
        foreach (var worker in _workers)
            worker.Reset();
        // Entry i goes to worker i mod n: interleaving evens out runs of large (chain-heavy) entries.
        Parallel.For(0, workers, new ParallelOptions { MaxDegreeOfParallelism = workers }, w =>
        {
            var worker = _workers[w];
            for (var i = w; i < batch.Count; i += workers)
                decoded[i] = worker.Decode(batch[i].Data, batch[i].Subject, w);
        });
    }

    private async ValueTask PublishAsync(List<RawMsg> batch, CancellationToken abort)
    {
        try
        {
            for (var i = 0; i < batch.Count; i++)
            {
                var entry = _decoded[i];
                var subjects = SubjectsOf(entry.Log);
                if (entry.Ok)
                {
                    var output = _workers[entry.Worker].Output;
                    // The same filter headers on all three messages (README "NATS subjects"): what the edge filters clients by.
                    var filter = new NatsHeaders
                    {
                        [FilterHeaders.Type] = entry.IsPrecert ? FilterHeaders.Precert : FilterHeaders.X509,
                        [FilterHeaders.Source] = SourceHeader(entry.Source),
                        [FilterHeaders.Domains] = entry.Domains,
                        [FilterHeaders.Seen] = entry.Seen,
                    };
                    if (entry.IsFirst) filter[FilterHeaders.Unique] = "1";
                    try
                    {
                        // Full first: it is the largest, so a payload limit stops the entry before any variant went out.
                        await SendAsync(subjects.Full, output.Slice(entry.Start, entry.FullLength), filter, _keeps[0], "full", entry, abort);
                    }
                    catch (NatsPayloadTooLargeException e)
                    {
                        entry = _decoded[i] = entry.WithRejection($"PayloadTooLarge: {e.Message}");
                    }
                    if (entry.Ok)
                    {
                        await SendAsync(subjects.Lite, output.Slice(entry.Start + entry.FullLength, entry.LiteLength), filter, _keeps[1], "lite", entry, abort);
                        await SendAsync(subjects.Domains, output.Slice(entry.Start + entry.FullLength + entry.LiteLength, entry.DomainsLength), filter, _keeps[2], "domains", entry, abort);
                        continue;
                    }
                }
                _logger.LogWarning("Rejected entry {Subject} seq {Sequence}: {Reason}", batch[i].Subject, batch[i].Metadata?.Sequence.Stream, entry.Rejection);
                var headers = new NatsHeaders { [MessageHeaders.Error] = HeaderText(entry.Rejection!) };
                await _connection.PublishAsync(subjects.Rejected, batch[i].Data, headers, cancellationToken: abort);
            }
            // Every kept message stored (a duplicate is one a redelivery already stored) before the batch is acked.
            await Task.WhenAll(_stored);
            foreach (var stored in _stored)
            {
                if (stored.Result.Error is { } error) throw new NatsJSApiException(error);
            }
        }
        finally
        {
            foreach (var stored in _stored)
            {
                if (!stored.IsCompleted) _ = stored.ContinueWith(static t => _ = t.Exception, TaskScheduler.Default);
            }
            _stored.Clear();
        }
    }

    /// <summary>
    /// Publishes one message. One of a stream CT_HISTORY keeps (README "Resume") goes out as a JetStream publish, its ack
    /// awaited with the batch's, so that an edge reading the history (and a resumed client) never misses it; its Msg-Id
    /// (<c>&lt;stream&gt;:&lt;log&gt;:&lt;index&gt;</c>) has a redelivered entry stored once. The others are core publishes.
    /// </summary>
    private ValueTask SendAsync(string subject, ReadOnlyMemory<byte> data, NatsHeaders filter, bool kept, string stream, DecodedEntry entry, CancellationToken abort)
    {
        if (!kept) return _connection.PublishAsync(subject, data, filter, cancellationToken: abort);
        var msgId = string.Create(CultureInfo.InvariantCulture, $"{stream}:{entry.Log}:{entry.Index}");
        // Each publish gets its own headers: the Msg-Id is set on them.
        var headers = new NatsHeaders();
        var size = data.Length + 16 + MsgIdHeader.Length + msgId.Length; // NATS/1.0 line, the Msg-Id and the blank line
        foreach (var (key, value) in filter)
        {
            headers[key] = value;
            size += key.Length + 4 + value.ToString().Length;
        }
        // A JetStream publish fails only when awaited: the payload limit is checked here, as the core publish does.
        if (_connection.ServerInfo is { MaxPayload: > 0 } info && size > info.MaxPayload)
            throw new NatsPayloadTooLargeException($"{stream} message of {size} bytes with headers exceeds the server's max_payload of {info.MaxPayload}");
        _stored.Add(_js.PublishAsync(subject, data, headers: headers, opts: new NatsJSPubOpts { MsgId = msgId }, cancellationToken: abort).AsTask());
        return ValueTask.CompletedTask;
    }

    /// <summary>
    /// Claims each decoded certificate in CT_UNIQUE (README "Unique certificates"): one publish per entry, its leaf id as the
    /// Nats-Msg-Id, all in flight at once. A new id makes the entry the first copy. A duplicate is a repeat, unless this
    /// entry is being redelivered and the stored claim is its own (its first delivery claimed it, then failed to publish):
    /// then it is still the first copy. Unique marking is optional: when the claims fail (CT_UNIQUE missing or refusing),
    /// the batch goes out with every certificate marked first — unique clients may see a repeat, never miss one — and
    /// claiming pauses for <see cref="ClaimPause"/> instead of slowing every batch.
    /// </summary>
    private async ValueTask ClaimAsync(List<RawMsg> batch, CancellationToken cancellationToken)
    {
        if (Environment.TickCount64 < _claimsPausedUntil)
        {
            MarkAllFirst(batch.Count);
            return;
        }
        if (_claims.Length < batch.Count)
            _claims = new Task<PubAckResponse>?[_decoded.Length];
        var opts = new NatsJSPubOpts { RetryAttempts = 1 };
        try
        {
            for (var i = 0; i < batch.Count; i++)
            {
                var entry = _decoded[i];
                _claims[i] = entry.Ok
                    ? _js.PublishAsync(JetStreamNames.UniqueSubject, ClaimOf(entry), opts: opts with { MsgId = entry.LeafId }, cancellationToken: cancellationToken).AsTask()
                    : null;
            }
            await Task.WhenAll(_claims.Take(batch.Count).OfType<Task<PubAckResponse>>());
            var ownChecks = new List<(int Index, Task<bool> Own)>();
            INatsJSStream? stream = null;
            for (var i = 0; i < batch.Count; i++)
            {
                if (_claims[i] is not { } claim) continue;
                var ack = claim.Result;
                // An error the server put in the ack (e.g. storage full). Not EnsureSuccess(): it throws on a duplicate too.
                if (ack.Error is { } error) throw new NatsJSApiException(error);
                if (!ack.Duplicate)
                {
                    _decoded[i] = _decoded[i] with { IsFirst = true };
                    continue;
                }
                if (batch[i].Metadata?.NumDelivered > 1)
                {
                    stream ??= await _js.GetStreamAsync(JetStreamNames.UniqueStream, cancellationToken: cancellationToken);
                    ownChecks.Add((i, IsOwnClaimAsync(stream, ack.Seq, _decoded[i], cancellationToken)));
                    continue;
                }
                _decoded[i] = _decoded[i] with { IsFirst = false };
                _metrics.Repeat();
            }
            // Redelivered duplicates are looked up all at once, not one round trip after another.
            foreach (var (index, own) in ownChecks)
            {
                var first = await own;
                _decoded[index] = _decoded[index] with { IsFirst = first };
                if (!first) _metrics.Repeat();
            }
        }
        catch (Exception e) when (e is NatsException or TimeoutException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            _claimsPausedUntil = Environment.TickCount64 + (long)ClaimPause.TotalMilliseconds;
            _logger.LogWarning("Claiming certificates in {Stream} failed; marking every certificate unique for {Pause} s: {Error}",
                JetStreamNames.UniqueStream, ClaimPause.TotalSeconds, e.Message);
            if (e is NatsJSPublishNoResponseException && _outputs is not null) await RecreateUniqueAsync(cancellationToken);
            MarkAllFirst(batch.Count);
        }
        finally
        {
            // Every claim is observed, whichever way the batch went.
            for (var i = 0; i < batch.Count; i++)
            {
                if (_claims[i] is { IsCompleted: false } pending) _ = pending.ContinueWith(static t => _ = t.Exception, TaskScheduler.Default);
                _claims[i] = null;
            }
        }
    }

    private void MarkAllFirst(int count)
    {
        var marked = 0;
        for (var i = 0; i < count; i++)
        {
            if (!_decoded[i].Ok) continue;
            _decoded[i] = _decoded[i] with { IsFirst = true };
            marked++;
        }
        _metrics.UniqueUnchecked(marked);
    }

    private static byte[] ClaimOf(DecodedEntry entry) => Encoding.ASCII.GetBytes(entry.Log + " " + entry.Index.ToString(CultureInfo.InvariantCulture));

    private static async Task<bool> IsOwnClaimAsync(INatsJSStream stream, ulong sequence, DecodedEntry entry, CancellationToken cancellationToken)
    {
        try
        {
            var stored = await stream.GetAsync(new StreamMsgGetRequest { Seq = sequence }, cancellationToken);
            return stored.Message.Data.Span.SequenceEqual(ClaimOf(entry));
        }
        catch (NatsJSApiException)
        {
            return false; // the claim aged out: whoever it was, it was not within the window
        }
    }

    private ValueTask RecreateUniqueAsync(CancellationToken abort) => RecreateAsync(static (outputs, js, ct) => outputs.EnsureUniqueAsync(js, ct), abort);

    private ValueTask RecreateOutputsAsync(CancellationToken abort) => RecreateAsync(static (outputs, js, ct) => outputs.EnsureAsync(js, ct), abort);

    private async ValueTask RecreateAsync(Func<OutputTopology, INatsJSContext, CancellationToken, ValueTask> ensure, CancellationToken abort)
    {
        try
        {
            using var bounded = Bounded(abort);
            await ensure(_outputs!, _js, bounded.Token);
        }
        catch (Exception e) when (e is NatsException or TimeoutException || (e is OperationCanceledException && !abort.IsCancellationRequested))
        {
            // The pause ends with another try.
        }
    }

    // The source URL changes only with the log: its header form is kept.
    private string SourceHeader(string url)
    {
        if (!string.Equals(url, _sourceUrl, StringComparison.Ordinal))
        {
            _sourceUrl = url;
            _sourceHeader = FilterHeaders.EncodeSource(url);
        }
        return _sourceHeader;
    }

    private static async ValueTask NakAllAsync(List<RawMsg> batch, CancellationToken abort)
    {
        try
        {
            using var bounded = Bounded(abort);
            foreach (var msg in batch)
                await msg.NakAsync(cancellationToken: bounded.Token);
        }
        catch (Exception e) when (e is NatsException or TimeoutException || (e is OperationCanceledException && !abort.IsCancellationRequested))
        {
            // Connection gone: the entries come back after ack_wait anyway.
        }
    }

    private LogSubjects SubjectsOf(string log)
    {
        if (_subjects.TryGetValue(log, out var subjects))
            return subjects;
        if (_subjects.Count >= MaxCachedLogs)
            _subjects.Clear();
        return _subjects[log] = LogSubjects.For(log);
    }

    // MessageHeaders.ErrorValue removes control characters; NATS headers also want ASCII.
    private static string HeaderText(string reason)
    {
        var value = MessageHeaders.ErrorValue(reason);
        return string.Create(value.Length, value, static (span, source) =>
        {
            for (var i = 0; i < span.Length; i++)
                span[i] = source[i] < 127 ? source[i] : '?';
        });
    }
}
