using System.Text.Json;
using System.Text.Json.Serialization;

namespace Certstream.Contracts;

/// <summary>Writes instants in UTC with a <c>Z</c> (RFC 3339 §5.6); reads any ISO 8601 offset.</summary>
internal sealed class Rfc3339Converter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.GetDateTimeOffset();

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.UtcDateTime);
}
