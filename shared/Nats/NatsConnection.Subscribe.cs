namespace Certstream.Nats;

public sealed partial class NatsConnection
{
    /// <summary>SUB (with an optional queue group, and UNSUB sid max when <see cref="NatsSubOpts.MaxMsgs"/> is set).</summary>
    public ValueTask<NatsSubscription> SubscribeAsync(string subject, string? queueGroup = null, NatsSubOpts? opts = null, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        ValidateSubject(subject, nameof(subject));
        if (queueGroup is not null) ValidateSubject(queueGroup, nameof(queueGroup));
        if (opts?.MaxMsgs is <= 0) throw new ArgumentOutOfRangeException(nameof(opts), "MaxMsgs must be positive");
        var sid = Interlocked.Increment(ref _nextSid);
        var sub = new NatsSubscription(this, sid, subject, queueGroup,
            opts?.PendingMsgsLimit ?? _opts.SubPendingMsgsLimit, opts?.PendingBytesLimit ?? _opts.SubPendingBytesLimit, opts?.MaxMsgs);
        _subs[sid] = sub;
        try
        {
            _writer.WriteSub(subject, queueGroup, sid);
            if (opts?.MaxMsgs is { } max) _writer.WriteUnsub(sid, max);
        }
        catch
        {
            _subs.TryRemove(sid, out _);
            throw;
        }
        return ValueTask.FromResult(sub);
    }

    internal void Unsubscribe(NatsSubscription sub)
    {
        if (!_subs.TryRemove(sub.Sid, out _)) return;
        _writer.WriteUnsub(sub.Sid, null);
        ((Internal.IMsgSink)sub).Complete();
    }

    // The server already removed it after max deliveries (§1.5); only the local side is left.
    internal void OnAutoUnsubscribed(Internal.IMsgSink sink)
    {
        if (_subs.TryRemove(sink.Sid, out _)) sink.Complete();
    }

    /// <summary>Unsubscribes everything, waits for the server to confirm (flush), completes the queues, then closes.</summary>
    public async ValueTask DrainAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        var subs = _subs.Values.OfType<NatsSubscription>().ToArray();
        foreach (var sub in subs) _writer.WriteUnsub(sub.Sid, null);
        try
        {
            // After the PONG every message the server sent for these sids has been read and queued.
            if (State == NatsConnectionState.Open) await FlushAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            // Cancelled or failed, the connection still ends: readers see their subscriptions complete.
            foreach (var sub in subs)
            {
                _subs.TryRemove(sub.Sid, out _);
                ((Internal.IMsgSink)sub).Complete();
            }
            await DisposeAsync().ConfigureAwait(false);
        }
    }

    private static void ValidateSubject(string value, string paramName)
    {
        ArgumentException.ThrowIfNullOrEmpty(value, paramName);
        if (value.AsSpan().IndexOfAny(" \t\r\n") >= 0) throw new ArgumentException($"'{value}' must not contain whitespace", paramName);
    }
}
