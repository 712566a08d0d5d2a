using System.Threading.Channels;
using Certstream.Contracts;
using Certstream.Nats;
using Certstream.Nats.JetStream;
using Microsoft.Extensions.Logging;

namespace Certstream.Parser.Pipeline;

/// <summary>
/// Fetches batches from the shared <c>parser</c> consumer, decodes each batch across the workers, publishes every entry's
/// three messages (or its rejection), flushes, and only then acks (SPEC §1, §3). A crash between publish and ack
/// redelivers the batch: at-least-once, never a lost entry. The next batch is fetched while one is being worked on.
/// </summary>
internal sealed class ParserPipeline : IDisposable
{
    /// <summary>How long an idle pull waits for entries; also the longest a stop waits for the fetch in progress.</summary>
    public static readonly TimeSpan FetchExpires = TimeSpan.FromSeconds(1);

    // Largest number of distinct logs whose subjects are kept; far above the ~100 logs that exist.
    private const int MaxCachedLogs = 4096;

    private readonly INatsConnection _connection;
    private readonly ParserMetrics _metrics;
    private readonly ILogger _logger;
    private readonly int _fetchBatch;
    private readonly DecodeWorker[] _workers;
    private readonly Dictionary<string, LogSubjects> _subjects = new(StringComparer.Ordinal);
    private DecodedEntry[] _decoded = [];
    private long _handled;

    public ParserPipeline(INatsConnection connection, ParserMetrics metrics, ILogger logger, int concurrency, int fetchBatch)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentOutOfRangeException.ThrowIfLessThan(concurrency, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(fetchBatch, 1);
        _connection = connection;
        _metrics = metrics;
        _logger = logger;
        _fetchBatch = fetchBatch;
        _workers = new DecodeWorker[concurrency];
        for (var i = 0; i < concurrency; i++)
            _workers[i] = new DecodeWorker(metrics);
    }

    /// <summary>Entries this pipeline acked (published) or terminated (rejected).</summary>
    public long Handled => Interlocked.Read(ref _handled);

    /// <summary>
    /// Runs until <paramref name="stopFetching"/> (then finishes what was fetched) or until a fetch fails (then finishes
    /// what was fetched and returns the failure, so that the caller can re-bind the consumer). <paramref name="abort"/>
    /// gives up at once: work not acked by then is redelivered after ack_wait.
    /// </summary>
    public async Task<Exception?> RunAsync(NatsJSConsumer consumer, CancellationToken stopFetching, CancellationToken abort)
    {
        ArgumentNullException.ThrowIfNull(consumer);
        // Entries are handed over one by one as they arrive and worked on in batches of whatever has arrived (up to
        // fetch_batch): a quiet stream is decoded at once instead of waiting for a pull to fill, a busy one gets full
        // batches because entries pile up while the previous batch is worked on. The channel holds one batch's worth,
        // so little is held unacked.
        var arrived = Channel.CreateBounded<NatsJSMsg>(new BoundedChannelOptions(_fetchBatch) { SingleReader = true, SingleWriter = true });
        var fetching = FetchLoopAsync(consumer, arrived.Writer, stopFetching, abort);
        var batch = new List<NatsJSMsg>(_fetchBatch);
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
            // The last acks are only buffered: make sure the server has them before returning (SIGTERM, SPEC §6).
            await _connection.FlushAsync(abort);
        }
        catch (NatsException e)
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

    private async Task<Exception?> FetchLoopAsync(NatsJSConsumer consumer, ChannelWriter<NatsJSMsg> arrived, CancellationToken stopFetching, CancellationToken abort)
    {
        // Heartbeats while idle: a pull the server dropped without a 408 is noticed within 2.5 of them, not after a timeout.
        var opts = new NatsJSFetchOpts { MaxMsgs = _fetchBatch, Expires = FetchExpires, IdleHeartbeat = FetchExpires / 4 };
        Exception? failure = null;
        try
        {
            while (failure is null && !stopFetching.IsCancellationRequested)
            {
                try
                {
                    // Not cancelled by stopFetching: a pull cut short would strand delivered entries until ack_wait.
                    await foreach (var msg in consumer.FetchAsync(opts, abort))
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

    private async ValueTask ProcessAsync(List<NatsJSMsg> batch, CancellationToken abort)
    {
        _metrics.BatchSize(batch.Count);
        Decode(batch);
        try
        {
            await PublishAsync(batch, abort);
            // Publish before ack (SPEC §1): the PONG proves the server has every message of the batch.
            await _connection.FlushAsync(abort);
        }
        catch (NatsException e)
        {
            _logger.LogWarning("Publishing a batch of {Count} entries failed, asking for redelivery: {Error}", batch.Count, e.Message);
            await NakAllAsync(batch, abort);
            return;
        }

        for (var i = 0; i < batch.Count; i++)
        {
            var entry = _decoded[i];
            // +TERM: an undecodable entry would fail the same way on every replica (SPEC §4).
            if (entry.Ok)
                await batch[i].AckAsync(abort);
            else
                await batch[i].TermAsync(abort);
            _metrics.Entry(entry.Log, entry.Ok, entry.IsPrecert);
        }
        Interlocked.Add(ref _handled, batch.Count);
    }

    private void Decode(List<NatsJSMsg> batch)
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

    private async ValueTask PublishAsync(List<NatsJSMsg> batch, CancellationToken abort)
    {
        for (var i = 0; i < batch.Count; i++)
        {
            var entry = _decoded[i];
            var subjects = SubjectsOf(entry.Log);
            if (entry.Ok)
            {
                var output = _workers[entry.Worker].Output;
                try
                {
                    // Full first: it is the largest, so a payload limit stops the entry before any variant went out.
                    await _connection.PublishAsync(subjects.Full, output.Slice(entry.Start, entry.FullLength), cancellationToken: abort);
                }
                catch (NatsPayloadTooLargeException e)
                {
                    entry = _decoded[i] = entry.WithRejection($"PayloadTooLarge: {e.Message}");
                }
                if (entry.Ok)
                {
                    await _connection.PublishAsync(subjects.Lite, output.Slice(entry.Start + entry.FullLength, entry.LiteLength), cancellationToken: abort);
                    await _connection.PublishAsync(subjects.Domains, output.Slice(entry.Start + entry.FullLength + entry.LiteLength, entry.DomainsLength), cancellationToken: abort);
                    continue;
                }
            }
            _logger.LogWarning("Rejected entry {Subject} seq {Sequence}: {Reason}", batch[i].Subject, batch[i].Metadata?.StreamSequence, entry.Rejection);
            var headers = new NatsHeaders { [MessageHeaders.Error] = HeaderText(entry.Rejection!) };
            await _connection.PublishAsync(subjects.Rejected, batch[i].Data, headers, cancellationToken: abort);
        }
    }

    private static async ValueTask NakAllAsync(List<NatsJSMsg> batch, CancellationToken abort)
    {
        try
        {
            foreach (var msg in batch)
                await msg.NakAsync(cancellationToken: abort);
        }
        catch (NatsException)
        {
            // Connection gone for good: the entries come back after ack_wait anyway.
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
