namespace Certstream.Nats;

/// <summary>
/// A received message. <see cref="Data"/> is an owned copy made by the read loop: it stays valid for as
/// long as the message is referenced and needs no return or dispose (the socket buffers are reused at once).
/// </summary>
public readonly record struct NatsMsg(string Subject, string? ReplyTo, NatsHeaders? Headers, ReadOnlyMemory<byte> Data)
{
    /// <summary>Status code from the header line (e.g. 503, 404, 408, 100); 0 when there is none (§1.6).</summary>
    public int StatusCode => Headers?.StatusCode ?? 0;

    /// <summary>True for a 503 status with an empty payload: a request that nobody subscribes to (§2).</summary>
    public bool IsNoResponders => StatusCode == 503 && Data.IsEmpty;

    /// <summary>Header + payload bytes as received; used for the subscription's byte bound.</summary>
    internal int WireSize { get; init; }
}
