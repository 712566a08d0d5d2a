using System.Buffers;
using System.Text.Json;

namespace Certstream.Edge;

/// <summary>The JSON heartbeat of the Python-era server (README "WebSocket and HTTP API").</summary>
internal static class Heartbeat
{
    /// <summary><c>{"message_type":"heartbeat","timestamp":&lt;float seconds&gt;}</c>, built once per tick and shared.</summary>
    public static byte[] Create(DateTimeOffset now)
    {
        var buffer = new ArrayBufferWriter<byte>(64);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("message_type", "heartbeat");
            writer.WriteNumber("timestamp", (now - DateTimeOffset.UnixEpoch).Ticks / (double)TimeSpan.TicksPerSecond);
            writer.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }
}
