using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Certstream.Contracts;

/// <summary>
/// A log's position in the <see cref="JetStreamNames.CheckpointsBucket"/> KV bucket (README "NATS subjects"):
/// <c>{"next_index":N,"tree_size":M,"updated":"&lt;RFC 3339&gt;"}</c>. Every entry below
/// <see cref="NextIndex"/> has been published and acknowledged.
/// </summary>
public sealed record Checkpoint(
    [property: JsonPropertyName("next_index")] ulong NextIndex,
    [property: JsonPropertyName("tree_size")] ulong TreeSize,
    [property: JsonPropertyName("updated"), JsonConverter(typeof(Rfc3339Converter))] DateTimeOffset Updated)
{
    /// <summary>The KV value: compact UTF-8 JSON, <c>updated</c> in UTC with a <c>Z</c>.</summary>
    public byte[] ToJson() => JsonSerializer.SerializeToUtf8Bytes(this, ContractsJsonContext.Default.Checkpoint);

    /// <summary>Reads a KV value; false when it is not JSON of this shape (all three keys required, others ignored).</summary>
    public static bool TryParse(ReadOnlySpan<byte> utf8Json, [NotNullWhen(true)] out Checkpoint? checkpoint)
    {
        try
        {
            checkpoint = JsonSerializer.Deserialize(utf8Json, ContractsJsonContext.Default.Checkpoint);
            return checkpoint is not null;
        }
        catch (JsonException)
        {
            checkpoint = null;
            return false;
        }
    }
}
