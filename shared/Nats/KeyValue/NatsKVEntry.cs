namespace Certstream.Nats.KeyValue;

/// <summary>One revision of a key. <see cref="Revision"/> is its stream sequence (a fencing token for leases, §4).</summary>
public sealed record NatsKVEntry(string Bucket, string Key, ReadOnlyMemory<byte> Value, ulong Revision, DateTimeOffset Created, NatsKVOperation Operation);
