using System.Globalization;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using Certstream.Nats.JetStream.Internal;
using Certstream.Nats.JetStream.Models;

namespace Certstream.Nats.JetStream;

/// <summary>
/// A durable pull consumer (§3.6, §3.7). Each fetch or consume loop gets its own inbox subscription, routed by sid,
/// because delivered messages keep the stream subject (ADR-13, §2).
/// </summary>
public sealed class NatsJSConsumer
{
    private readonly NatsJSContext _context;
    private readonly string _nextSubject;
    private long _heartbeats;

    internal NatsJSConsumer(NatsJSContext context, ConsumerInfo info)
    {
        _context = context;
        Info = info;
        _nextSubject = context.ApiSubject("CONSUMER.MSG.NEXT." + info.StreamName + "." + info.Name);
    }

    public string Stream => Info.StreamName;

    public string Name => Info.Name;

    /// <summary>The info from creation or the last <see cref="RefreshAsync"/>.</summary>
    public ConsumerInfo Info { get; private set; }

    /// <summary>"100 Idle Heartbeat" statuses seen by this object's fetches and consume loops (they are not yielded).</summary>
    public long HeartbeatsReceived => Interlocked.Read(ref _heartbeats);

    public async ValueTask<ConsumerInfo> RefreshAsync(CancellationToken cancellationToken = default)
    {
        Info = await _context.GetConsumerInfoAsync(Stream, Name, cancellationToken).ConfigureAwait(false);
        return Info;
    }

    /// <summary>
    /// One pull request: yields up to <see cref="NatsJSFetchOpts.MaxMsgs"/> messages and ends when the batch is full, on
    /// 404 (no messages, no_wait), 408 (expired) or 409 (max bytes etc.), or on silence — two idle heartbeats missed, or
    /// nothing past expires — after the server was heard from (a message or heartbeat). "100 Idle Heartbeat" statuses are
    /// skipped. Silence from the start — what a missing consumer produces (§3.7) — throws <see cref="NatsRequestTimeoutException"/>
    /// (after the heartbeat window, or after expires plus the request timeout); 400 and terminal 409s throw <see cref="NatsJSFetchException"/>.
    /// </summary>
    public async IAsyncEnumerable<NatsJSMsg> FetchAsync(NatsJSFetchOpts? opts = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        opts ??= new NatsJSFetchOpts();
        ArgumentOutOfRangeException.ThrowIfLessThan(opts.MaxMsgs, 1, nameof(opts));
        var connection = _context.Connection;
        await using var sub = await connection.SubscribeAsync(NatsConnection.NewInbox(), cancellationToken: cancellationToken).ConfigureAwait(false);
        var request = new PullRequest
        {
            Batch = opts.MaxMsgs,
            Expires = opts.NoWait ? null : opts.Expires,
            NoWait = opts.NoWait ? true : null,
            MaxBytes = opts.MaxBytes,
            IdleHeartbeat = opts.NoWait ? null : opts.IdleHeartbeat,
        };
        await connection.PublishAsync(_nextSubject, NatsJSContext.Serialize(request, NatsJSJsonContext.Default.PullRequest), null, sub.Subject, cancellationToken).ConfigureAwait(false);

        var deadline = Environment.TickCount64 + (long)((opts.NoWait ? TimeSpan.Zero : opts.Expires) + _context.Opts.RequestTimeout).TotalMilliseconds;
        var heartbeatWindow = opts.IdleHeartbeat is { } hb && !opts.NoWait ? hb * 2.5 : (TimeSpan?)null;
        using var timer = new ReadTimer(cancellationToken);
        var received = 0;
        var heard = false; // a message or heartbeat proves the consumer took this pull
        while (received < opts.MaxMsgs)
        {
            var left = TimeSpan.FromMilliseconds(Math.Max(0, deadline - Environment.TickCount64));
            var wait = heartbeatWindow is { } w && w < left ? w : left;
            var (msg, outcome) = await ReadAsync(sub.Msgs, timer, wait, cancellationToken).ConfigureAwait(false);
            switch (outcome)
            {
                // The server drops a pull that expired while a message was being handed out without a 408, and
                // forgets pulls across a restart: silence after it was heard from ends the pull, the caller pulls again.
                case ReadOutcome.TimedOut when heard:
                    yield break;
                case ReadOutcome.TimedOut:
                    throw new NatsRequestTimeoutException(wait < left
                        ? $"Pull from {Stream}/{Name} got neither a message nor a heartbeat (does the consumer exist?)"
                        : $"Pull from {Stream}/{Name} got no answer (does the consumer exist?)");
                case ReadOutcome.Closed:
                    throw new NatsConnectionClosedException("The connection closed during the fetch");
            }
            heard = true;
            switch (msg.StatusCode)
            {
                case 0:
                    received++;
                    yield return new NatsJSMsg(connection, msg);
                    break;
                case 100:
                    Interlocked.Increment(ref _heartbeats);
                    break; // idle heartbeat: alive, keep waiting
                case 404 or 408:
                    yield break;
                case 409 when IsTerminal409(msg.Headers!.StatusDescription):
                    throw new NatsJSFetchException(409, msg.Headers!.StatusDescription);
                case 409:
                    yield break;
                default:
                    throw new NatsJSFetchException(msg.StatusCode, msg.Headers?.StatusDescription);
            }
        }
    }

    /// <summary>
    /// Consumes until cancelled, keeping pulls outstanding: a new pull for the missing messages goes out when fewer than
    /// half of <see cref="NatsJSConsumeOpts.MaxMsgs"/> are outstanding; 408/409 statuses return their unfilled count
    /// (<c>Nats-Pending-Messages</c>); missed heartbeats (e.g. across a server restart) reset and pull again (§3.7).
    /// </summary>
    public async IAsyncEnumerable<NatsJSMsg> ConsumeAsync(NatsJSConsumeOpts? opts = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        opts ??= new NatsJSConsumeOpts();
        ArgumentOutOfRangeException.ThrowIfLessThan(opts.MaxMsgs, 1, nameof(opts));
        var connection = _context.Connection;
        await using var sub = await connection.SubscribeAsync(NatsConnection.NewInbox(), cancellationToken: cancellationToken).ConfigureAwait(false);
        var heartbeatWindow = opts.IdleHeartbeat * 2.5;
        using var timer = new ReadTimer(cancellationToken);
        long pending = 0;

        async ValueTask PullAsync(int batch)
        {
            var request = new PullRequest { Batch = batch, Expires = opts.Expires, IdleHeartbeat = opts.IdleHeartbeat };
            await connection.PublishAsync(_nextSubject, NatsJSContext.Serialize(request, NatsJSJsonContext.Default.PullRequest), null, sub.Subject, cancellationToken).ConfigureAwait(false);
            pending += batch;
        }

        await PullAsync(opts.MaxMsgs).ConfigureAwait(false);
        while (true)
        {
            var (msg, outcome) = await ReadAsync(sub.Msgs, timer, heartbeatWindow, cancellationToken).ConfigureAwait(false);
            if (outcome == ReadOutcome.Closed) throw new NatsConnectionClosedException("The connection closed while consuming");
            if (outcome == ReadOutcome.TimedOut)
            {
                pending = 0; // the server forgot our pulls (restart, lost request): start over
            }
            else
            {
                switch (msg.StatusCode)
                {
                    case 0:
                        pending--;
                        yield return new NatsJSMsg(connection, msg);
                        break;
                    case 100:
                        Interlocked.Increment(ref _heartbeats);
                        break;
                    case 408 or 409 or 404:
                        if (msg.StatusCode == 409 && IsTerminal409(msg.Headers!.StatusDescription))
                            throw new NatsJSFetchException(409, msg.Headers!.StatusDescription);
                        pending -= msg.Headers!["Nats-Pending-Messages"] is { } unfilled && long.TryParse(unfilled, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0;
                        break;
                    default:
                        throw new NatsJSFetchException(msg.StatusCode, msg.Headers?.StatusDescription);
                }
            }
            if (pending < 0) pending = 0;
            if (pending <= opts.MaxMsgs / 2) await PullAsync((int)(opts.MaxMsgs - pending)).ConfigureAwait(false);
        }
    }

    /// <summary>The next message, or null when none arrived within <paramref name="expires"/>.</summary>
    public async ValueTask<NatsJSMsg?> NextAsync(TimeSpan? expires = null, CancellationToken cancellationToken = default)
    {
        await foreach (var msg in FetchAsync(new NatsJSFetchOpts { MaxMsgs = 1, Expires = expires ?? TimeSpan.FromSeconds(5) }, cancellationToken).ConfigureAwait(false))
            return msg;
        return null;
    }

    // These end the consumer, not just this request (§3.7 terminal errors).
    private static bool IsTerminal409(string? description) =>
        description is not null && (description.StartsWith("Consumer Deleted", StringComparison.OrdinalIgnoreCase)
            || description.StartsWith("Consumer is push based", StringComparison.OrdinalIgnoreCase)
            || description.StartsWith("Exceeded MaxRequest", StringComparison.OrdinalIgnoreCase));

    private enum ReadOutcome
    {
        Msg,
        TimedOut,
        Closed,
    }

    // One read with a timer re-armed on a shared linked source (no allocation per read); the caller's token wins.
    private static async ValueTask<(NatsMsg Msg, ReadOutcome Outcome)> ReadAsync(ChannelReader<NatsMsg> reader, ReadTimer timer, TimeSpan wait, CancellationToken cancellationToken)
    {
        if (reader.TryRead(out var ready)) return (ready, ReadOutcome.Msg);
        if (wait <= TimeSpan.Zero) return (default, ReadOutcome.TimedOut);
        var token = timer.Arm(wait);
        try
        {
            while (await reader.WaitToReadAsync(token).ConfigureAwait(false))
            {
                if (reader.TryRead(out var msg)) return (msg, ReadOutcome.Msg);
            }
            return (default, ReadOutcome.Closed);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (default, ReadOutcome.TimedOut);
        }
        finally
        {
            timer.Disarm();
        }
    }

    // A linked source that is replaced only after it fired (a cancelled source cannot be reset).
    private sealed class ReadTimer(CancellationToken outer) : IDisposable
    {
        private CancellationTokenSource _cts = CancellationTokenSource.CreateLinkedTokenSource(outer);

        public CancellationToken Arm(TimeSpan wait)
        {
            if (_cts.IsCancellationRequested)
            {
                _cts.Dispose();
                _cts = CancellationTokenSource.CreateLinkedTokenSource(outer);
            }
            _cts.CancelAfter(wait);
            return _cts.Token;
        }

        public void Disarm()
        {
            if (!_cts.IsCancellationRequested) _cts.CancelAfter(Timeout.InfiniteTimeSpan);
        }

        public void Dispose() => _cts.Dispose();
    }
}
