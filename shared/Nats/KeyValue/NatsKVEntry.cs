namespace Certstream.Nats.KeyValue;

/// <summary>One revision of a key. <see cref="Revision"/> is the stream sequence, usable as a fencing token.</summary>
public sealed record NatsKVEntry(string Bucket, string Key, ReadOnlyMemory<byte> Value, ulong Revision, DateTimeOffset Created, NatsKVOperation Operation);
