using System.Buffers;
using System.Buffers.Text;
using System.Collections.Concurrent;
using Certstream.Nats.Internal;

namespace Certstream.Nats;

public sealed partial class NatsConnection
{
    // One muxed inbox: SUB _INBOX.<nuid>.* once; each request gets the next number as last token (§2).
    private readonly string _inboxPrefix;
    private readonly ConcurrentDictionary<long, TaskCompletionSource<NatsMsg>> _pending = new();
    private readonly Lock _inboxLock = new();
    private InboxSink? _inbox;
    private long _nextRequestId;

    /// <summary>The muxed reply prefix, <c>_INBOX.&lt;nuid&gt;.</c>.</summary>
    public string InboxPrefix => _inboxPrefix;

    public async ValueTask<NatsMsg> RequestAsync(string subject, ReadOnlyMemory<byte> data = default, NatsHeaders? headers = null, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        EnsureInbox();
        var id = Interlocked.Increment(ref _nextRequestId);
        var reply = new TaskCompletionSource<NatsMsg>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = reply;
        try
        {
            await PublishAsync(subject, data, headers, _inboxPrefix + id.ToString(System.Globalization.CultureInfo.InvariantCulture), cancellationToken).ConfigureAwait(false);
            return await reply.Task.WaitAsync(timeout ?? _opts.RequestTimeout, cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException e)
        {
            throw new NatsRequestTimeoutException($"No reply on '{subject}' within {timeout ?? _opts.RequestTimeout}", e);
        }
        finally
        {
            // A late reply finds no entry and is ignored (§2 caveats).
            _pending.TryRemove(id, out _);
        }
    }

    private void EnsureInbox()
    {
        if (Volatile.Read(ref _inbox) is not null) return;
        lock (_inboxLock)
        {
            if (_inbox is not null) return;
            var sid = Interlocked.Increment(ref _nextSid);
            var sink = new InboxSink(this, sid, _inboxPrefix + "*");
            _subs[sid] = sink;
            _writer.WriteSub(sink.Subject, null, sid);
            Volatile.Write(ref _inbox, sink);
        }
    }

    private void FailPendingRequests(Exception error)
    {
        foreach (var id in _pending.Keys)
            if (_pending.TryRemove(id, out var waiter)) waiter.TrySetException(error);
    }

    private void CompleteRequest(ReadOnlySpan<byte> subject, ReadOnlySpan<byte> replyTo, int headerLength, in ReadOnlySequence<byte> body)
    {
        var dot = subject.LastIndexOf((byte)'.');
        if (dot < 0 || !Utf8Parser.TryParse(subject[(dot + 1)..], out long id, out var used) || used != subject.Length - dot - 1) return;
        if (!_pending.TryRemove(id, out var waiter)) return;
        var msg = BuildMsg(System.Text.Encoding.UTF8.GetString(subject), replyTo, headerLength, body);
        if (msg.IsNoResponders) waiter.TrySetException(new NatsNoRespondersException());
        else waiter.TrySetResult(msg);
    }

    private sealed class InboxSink(NatsConnection owner, int sid, string subject) : IMsgSink
    {
        public int Sid { get; } = sid;
        public string Subject { get; } = subject;
        public string? QueueGroup => null;
        public int? RemainingMsgs => null;

        public void Deliver(ReadOnlySpan<byte> subject, ReadOnlySpan<byte> replyTo, int headerLength, in ReadOnlySequence<byte> body) =>
            owner.CompleteRequest(subject, replyTo, headerLength, body);

        public void Complete() { }
    }
}
