using System.Buffers;

namespace Certstream.Nats.Internal;

/// <summary>Where the read loop hands a MSG/HMSG for one sid. Implementations must never block.</summary>
internal interface IMsgSink
{
    int Sid { get; }

    string Subject { get; }

    string? QueueGroup { get; }

    /// <summary>Messages still allowed before auto-unsubscribe; null = unlimited (re-sent as UNSUB on reconnect, §1.10).</summary>
    int? RemainingMsgs { get; }

    void Deliver(ReadOnlySpan<byte> subject, ReadOnlySpan<byte> replyTo, int headerLength, in ReadOnlySequence<byte> body);

    /// <summary>No more messages will come (unsubscribed, drained or connection closed).</summary>
    void Complete();
}
