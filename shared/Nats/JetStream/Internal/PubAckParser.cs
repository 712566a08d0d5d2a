using System.Buffers;
using System.Text;
using System.Text.Json;
using Certstream.Nats.JetStream.Models;

namespace Certstream.Nats.JetStream.Internal;

/// <summary>
/// Reads a PubAck (§3.5) with <see cref="Utf8JsonReader"/>, without an intermediate object: this runs once per
/// published message. The stream name is cached because every ack of a publisher names the same stream.
/// </summary>
internal static class PubAckParser
{
    public static PubAck Parse(in ReadOnlySequence<byte> json, ref string? cachedStream)
    {
        var reader = new Utf8JsonReader(json);
        string? stream = null;
        ulong seq = 0;
        var duplicate = false;
        int code = 0, errCode = 0;
        string? description = null;
        var hasError = false;
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) throw new NatsJSApiException("PubAck is not a JSON object");
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("stream"u8))
            {
                reader.Read();
                stream = ReadCached(ref reader, ref cachedStream);
            }
            else if (reader.ValueTextEquals("seq"u8))
            {
                reader.Read();
                seq = reader.GetUInt64();
            }
            else if (reader.ValueTextEquals("duplicate"u8))
            {
                reader.Read();
                duplicate = reader.TokenType == JsonTokenType.True;
            }
            else if (reader.ValueTextEquals("error"u8))
            {
                reader.Read();
                hasError = true;
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    if (reader.ValueTextEquals("code"u8)) { reader.Read(); code = reader.GetInt32(); }
                    else if (reader.ValueTextEquals("err_code"u8)) { reader.Read(); errCode = reader.GetInt32(); }
                    else if (reader.ValueTextEquals("description"u8)) { reader.Read(); description = reader.GetString(); }
                    else { reader.Read(); reader.Skip(); }
                }
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
        if (hasError) throw new NatsJSApiException(code, errCode, description ?? "");
        if (stream is null) throw new NatsJSApiException("PubAck without a stream");
        return new PubAck(stream, seq, duplicate);
    }

    private static string ReadCached(ref Utf8JsonReader reader, ref string? cached)
    {
        if (cached is not null && !reader.ValueIsEscaped && !reader.HasValueSequence)
        {
            var span = reader.ValueSpan;
            if (span.Length == cached.Length && Ascii.Equals(span, cached)) return cached;
        }
        cached = reader.GetString()!;
        return cached;
    }
}
