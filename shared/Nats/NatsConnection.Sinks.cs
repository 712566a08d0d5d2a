using Certstream.Nats.Internal;

namespace Certstream.Nats;

public sealed partial class NatsConnection
{
    /// <summary>
    /// Registers a sink that the read loop calls directly (no queue, no <see cref="NatsMsg"/> per message): used by the
    /// JetStream publisher's ack inbox. The sink is re-subscribed on reconnect like any subscription (§1.10).
    /// </summary>
    internal int AddSink(Func<int, IMsgSink> create)
    {
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        var sid = Interlocked.Increment(ref _nextSid);
        var sink = create(sid);
        _subs[sid] = sink;
        try
        {
            _writer.WriteSub(sink.Subject, sink.QueueGroup, sid);
        }
        catch
        {
            _subs.TryRemove(sid, out _);
            throw;
        }
        return sid;
    }

    internal void RemoveSink(int sid)
    {
        if (!_subs.TryRemove(sid, out var sink)) return;
        _writer.WriteUnsub(sid, null);
        sink.Complete();
    }

    /// <summary>A fresh inbox prefix <c>_INBOX.&lt;nuid&gt;</c>, distinct from the muxed request inbox (§2, ADR-13).</summary>
    internal static string NewInbox() => "_INBOX." + Nuid.Next();
}
