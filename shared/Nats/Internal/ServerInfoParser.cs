using System.Text.Json;

namespace Certstream.Nats.Internal;

/// <summary>INFO JSON → <see cref="NatsServerInfo"/> with a forward-only reader (no reflection); unknown fields are skipped.</summary>
internal static class ServerInfoParser
{
    public static NatsServerInfo Parse(ReadOnlySpan<byte> json)
    {
        try
        {
            return ParseCore(json);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            throw new NatsProtocolException("Malformed INFO: " + e.Message, e);
        }
    }

    private static NatsServerInfo ParseCore(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 16 });
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) throw new NatsProtocolException("INFO is not a JSON object");
        var info = new NatsServerInfo();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.GetString();
            if (!reader.Read()) break;
            switch (name)
            {
                case "server_id": info = info with { ServerId = Str(ref reader) }; break;
                case "server_name": info = info with { ServerName = Str(ref reader) }; break;
                case "version": info = info with { Version = Str(ref reader) }; break;
                case "host": info = info with { Host = Str(ref reader) }; break;
                case "port": info = info with { Port = reader.GetInt32() }; break;
                case "proto": info = info with { Proto = reader.GetInt32() }; break;
                case "headers": info = info with { Headers = reader.GetBoolean() }; break;
                case "max_payload": info = info with { MaxPayload = reader.GetInt32() }; break;
                case "jetstream": info = info with { JetStream = reader.GetBoolean() }; break;
                case "client_id": info = info with { ClientId = reader.GetUInt64() }; break;
                case "client_ip": info = info with { ClientIp = Str(ref reader) }; break;
                case "auth_required": info = info with { AuthRequired = reader.GetBoolean() }; break;
                case "tls_required": info = info with { TlsRequired = reader.GetBoolean() }; break;
                case "tls_available": info = info with { TlsAvailable = reader.GetBoolean() }; break;
                case "ldm": info = info with { LameDuckMode = reader.GetBoolean() }; break;
                case "connect_urls":
                    var urls = new List<string>();
                    if (reader.TokenType == JsonTokenType.StartArray)
                    {
                        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                            if (reader.TokenType == JsonTokenType.String) urls.Add(reader.GetString()!);
                    }
                    info = info with { ConnectUrls = urls };
                    break;
                default:
                    reader.Skip();
                    break;
            }
        }
        if (info.MaxPayload <= 0) throw new NatsProtocolException("INFO max_payload must be positive");
        return info;
    }

    private static string Str(ref Utf8JsonReader reader) => reader.TokenType == JsonTokenType.Null ? "" : reader.GetString() ?? "";
}
