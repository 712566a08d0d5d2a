using System.Collections.Concurrent;
using NATS.Client.Core;

namespace Certstream.Edge;

/// <summary>
/// The edge's fan-out (README "Architecture", "WebSocket and HTTP API"): each message from NATS goes, as the same bytes, into the send queue of every
/// client of its stream. <see cref="Publish"/> never blocks and takes no lock shared across clients: the client list
/// is an immutable array replaced on connect/disconnect, and each client's queue is its own.
/// Also keeps what the JSON endpoints show: the latest message per stream, the 25 latest lite messages and counts.
/// </summary>
internal sealed class StreamHub
{
    /// <summary>How many lite messages /latest.json shows (Calidog's ring buffer size).</summary>
    public const int LatestCapacity = 25;

    private readonly Lock _registryLock = new();
    private readonly ClientSession[][] _sessions = [[], [], []];
    private readonly long[] _closedSent = new long[3];
    private readonly long[] _closedBytes = new long[3];
    private readonly long[] _closedSkipped = new long[3];
    private readonly long[] _closedReplayed = new long[3];
    private long _resumes;
    private readonly long[] _feedGaps = new long[3];

    private readonly long[] _received = new long[3];
    private readonly ConcurrentDictionary<string, LogCount> _logs = new(StringComparer.Ordinal);
    private long _slowClientsClosed;

    private readonly Lock _recentLock = new();
    private readonly ReadOnlyMemory<byte>?[] _example = new ReadOnlyMemory<byte>?[3];
    private readonly ReadOnlyMemory<byte>[] _latest = new ReadOnlyMemory<byte>[LatestCapacity];
    private int _latestNext;
    private int _latestCount;

    /// <summary>
    /// Hands one ready-to-send message (the exact bytes a client of <paramref name="kind"/> receives, README "NATS subjects") to
    /// every client of that stream. Call from the NATS subscription; it never waits on a client.
    /// The memory is kept and written later from other threads: it must not be reused or changed afterwards.
    /// </summary>
    /// <param name="kind">The stream: from the subject <c>certstream.&lt;kind&gt;.&lt;log&gt;</c>.</param>
    /// <param name="logKey">The subject's <c>&lt;log&gt;</c> part, counted per log for /stats.</param>
    /// <param name="message">One JSON object.</param>
    /// <param name="headers">The message's NATS headers: the filter headers filtered clients are matched by.</param>
    public void Publish(StreamKind kind, string logKey, ReadOnlyMemory<byte> message, NatsHeaders? headers = null)
    {
        var index = (int)kind;
        Interlocked.Increment(ref _received[index]);
        if (!_logs.TryGetValue(logKey, out var count))
            count = _logs.GetOrAdd(logKey, static _ => new LogCount());
        count.Increment(kind);

        lock (_recentLock)
        {
            _example[index] = message;
            if (kind == StreamKind.Lite)
            {
                _latest[_latestNext] = message;
                _latestNext = (_latestNext + 1) % LatestCapacity;
                if (_latestCount < LatestCapacity) _latestCount++;
            }
        }

        var sessions = Volatile.Read(ref _sessions[index]);
        if (sessions.Length == 0) return;
        var nowMs = Environment.TickCount64;
        MessageFacts? facts = null; // read from the headers once, for the first filtered client
        string? eventId = null; // likewise for the first SSE client
        foreach (var session in sessions)
        {
            if (session.IsResumed) continue; // fed from the history
            if (session.Filter is { } filter && !filter.Matches(facts ??= MessageFacts.From(headers))) continue;
            if (session.IsEventStream) eventId ??= MessageFacts.SeenOf(headers);
            if (session.Offer(message, nowMs, session.IsEventStream ? eventId : null)) Interlocked.Increment(ref _slowClientsClosed);
        }
    }

    public void Add(ClientSession session)
    {
        var index = (int)session.Kind;
        lock (_registryLock)
        {
            _sessions[index] = [.. _sessions[index], session];
        }
    }

    /// <summary>Unregisters a finished session, folding its counters into the stream's totals.</summary>
    public void Remove(ClientSession session)
    {
        var index = (int)session.Kind;
        lock (_registryLock)
        {
            var current = _sessions[index];
            var at = Array.IndexOf(current, session);
            if (at < 0) return;
            var next = new ClientSession[current.Length - 1];
            Array.Copy(current, 0, next, 0, at);
            Array.Copy(current, at + 1, next, at, current.Length - at - 1);
            _sessions[index] = next;
            _closedSent[index] += session.MessagesSent;
            _closedBytes[index] += session.BytesSent;
            _closedSkipped[index] += session.MessagesSkipped;
            _closedReplayed[index] += session.MessagesReplayed;
        }
    }

    /// <summary>Clients that asked to resume (<c>since</c> or <c>Last-Event-ID</c>), counted when their replay starts.</summary>
    public long Resumes => Interlocked.Read(ref _resumes);

    public void CountResume() => Interlocked.Increment(ref _resumes);

    /// <summary>NATS reconnects during which messages of a stream read without history may have been lost.</summary>
    public long FeedGaps(StreamKind kind) => Interlocked.Read(ref _feedGaps[(int)kind]);

    public void CountFeedGap(StreamKind kind) => Interlocked.Increment(ref _feedGaps[(int)kind]);

    /// <summary>The connected clients of a stream (a snapshot; safe to iterate).</summary>
    public IReadOnlyList<ClientSession> Sessions(StreamKind kind) => Volatile.Read(ref _sessions[(int)kind]);

    public int ClientCount(StreamKind kind) => Volatile.Read(ref _sessions[(int)kind]).Length;

    public int TotalClients => StreamKinds.All.Sum(ClientCount);

    /// <summary>Messages the hub received for a stream.</summary>
    public long MessagesReceived(StreamKind kind) => Interlocked.Read(ref _received[(int)kind]);

    /// <summary>
    /// Certificates seen: the parser publishes each one on all three streams, so the busiest stream's count is the
    /// number of certificates even if this edge were only given some of them.
    /// </summary>
    public long CertificatesProcessed => StreamKinds.All.Max(MessagesReceived);

    /// <summary>Clients the hub gave up on as too slow (1013), counted when the close is decided.</summary>
    public long SlowClientsClosed => Interlocked.Read(ref _slowClientsClosed);

    /// <summary>Certificates seen per log key.</summary>
    public IReadOnlyList<KeyValuePair<string, long>> CertificatesByLog() =>
        [.. _logs.Select(pair => KeyValuePair.Create(pair.Key, pair.Value.Certificates)).OrderBy(pair => pair.Key, StringComparer.Ordinal)];

    /// <summary>Counters of one stream since start: connected clients' plus those of clients gone.</summary>
    public StreamTotals Totals(StreamKind kind)
    {
        var index = (int)kind;
        lock (_registryLock)
        {
            long sent = _closedSent[index], bytes = _closedBytes[index], skipped = _closedSkipped[index], replayed = _closedReplayed[index];
            int filtered = 0, eventStreams = 0, resumed = 0, unique = 0;
            foreach (var session in _sessions[index])
            {
                sent += session.MessagesSent;
                bytes += session.BytesSent;
                skipped += session.MessagesSkipped;
                replayed += session.MessagesReplayed;
                if (session.Filter is { Narrows: true }) filtered++;
                if (session.Filter is { Unique: true }) unique++;
                if (session.IsEventStream) eventStreams++;
                if (session.IsResumed) resumed++;
            }
            return new StreamTotals(_sessions[index].Length, sent, bytes, skipped, filtered, eventStreams, resumed, unique, replayed);
        }
    }

    /// <summary>The latest message of a stream, or null before the first one (example.json).</summary>
    public ReadOnlyMemory<byte>? Example(StreamKind kind)
    {
        lock (_recentLock) return _example[(int)kind];
    }

    /// <summary>Up to 25 latest lite messages, newest first (latest.json).</summary>
    public ReadOnlyMemory<byte>[] Latest()
    {
        lock (_recentLock)
        {
            var result = new ReadOnlyMemory<byte>[_latestCount];
            for (var i = 0; i < _latestCount; i++)
                result[i] = _latest[(_latestNext - 1 - i + LatestCapacity) % LatestCapacity];
            return result;
        }
    }

    private sealed class LogCount
    {
        private long _full;
        private long _lite;
        private long _domains;

        public long Certificates => Math.Max(Interlocked.Read(ref _full), Math.Max(Interlocked.Read(ref _lite), Interlocked.Read(ref _domains)));

        public void Increment(StreamKind kind)
        {
            switch (kind)
            {
                case StreamKind.Full: Interlocked.Increment(ref _full); break;
                case StreamKind.Lite: Interlocked.Increment(ref _lite); break;
                default: Interlocked.Increment(ref _domains); break;
            }
        }
    }
}
