using System.Text.Json;
using System.Text.Json.Serialization;

namespace Certstream.Nats.JetStream;

/// <summary>JetStream durations are int64 nanoseconds on the wire (§3.1, trap 9).</summary>
internal sealed class NanosecondsConverter : JsonConverter<TimeSpan>
{
    public override TimeSpan Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        TimeSpan.FromTicks(reader.GetInt64() / 100);

    public override void Write(Utf8JsonWriter writer, TimeSpan value, JsonSerializerOptions options) =>
        writer.WriteNumberValue(value.Ticks * 100);
}
