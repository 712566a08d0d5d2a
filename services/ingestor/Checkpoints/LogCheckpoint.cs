namespace Certstream.Ingestor.Checkpoints;

/// <summary>
/// A log's position, the value of KV bucket <c>ct_checkpoints</c> (README "NATS subjects"):
/// <c>{"next_index":N,"tree_size":M,"updated":"&lt;RFC 3339&gt;"}</c>. Everything below
/// <see cref="NextIndex"/> has been acked by JetStream.
/// </summary>
internal sealed record LogCheckpoint(ulong NextIndex, ulong TreeSize, DateTimeOffset Updated);
