using System.Buffers;
using System.Text;
using System.Text.Json;

namespace Certstream.Contracts;

/// <summary>
/// What a consumer needs to filter a certstream message without reading its JSON (README "NATS subjects"): the parser
/// puts these headers on each of the three messages of a certificate, and the edge filters its clients by them.
/// </summary>
public static class FilterHeaders
{
    /// <summary><c>x509</c> or <c>precert</c> (the message's <c>update_type</c>: <c>X509LogEntry</c> or <c>PrecertLogEntry</c>).</summary>
    public const string Type = "Certstream-Type";

    /// <summary>The message's <c>source.url</c>.</summary>
    public const string Source = "Certstream-Source";

    /// <summary>The message's <c>all_domains</c>, comma-separated, each name written as <see cref="EncodeDomains"/> does.</summary>
    public const string Domains = "Certstream-Domains";

    /// <summary>The message's <c>data.seen</c> (Unix seconds, as written in the full and lite JSON): an SSE event's id.</summary>
    public const string Seen = "Certstream-Seen";

    /// <summary>
    /// <c>1</c> on the first copy of a certificate seen within <c>unique.window</c>, across all logs; absent on repeats
    /// (and on every message when the window is off). What <c>?unique=true</c> clients get.
    /// </summary>
    public const string Unique = "Certstream-Unique";

    public const string X509 = "x509";
    public const string Precert = "precert";

    private const string Hex = "0123456789ABCDEF";

    /// <summary>
    /// The names joined with commas. A NATS header value holds printable ASCII only, so every byte of a name's UTF-8
    /// outside '!'..'~', and ',' and '%' themselves, is written as %XX; names from DNS (the usual case) pass unchanged.
    /// </summary>
    public static string EncodeDomains(IEnumerable<string> names)
    {
        ArgumentNullException.ThrowIfNull(names);
        var text = new StringBuilder();
        foreach (var name in names)
        {
            if (text.Length > 0) text.Append(',');
            Escape(text, name, escapeComma: true);
        }
        return text.ToString();
    }

    /// <summary>A URL as a header value: bytes outside '!'..'~' and '%' as %XX (a log list's URLs pass unchanged).</summary>
    public static string EncodeSource(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        var text = new StringBuilder(url.Length);
        Escape(text, url, escapeComma: false);
        return text.ToString();
    }

    private static void Escape(StringBuilder text, string value, bool escapeComma)
    {
        Span<byte> utf8 = stackalloc byte[4];
        foreach (var rune in value.EnumerateRunes())
        {
            if (rune.Value is > 0x20 and < 0x7F && rune.Value != '%' && !(escapeComma && rune.Value == ','))
            {
                text.Append((char)rune.Value);
                continue;
            }
            var length = rune.EncodeToUtf8(utf8);
            for (var i = 0; i < length; i++) text.Append('%').Append(Hex[utf8[i] >> 4]).Append(Hex[utf8[i] & 0xF]);
        }
    }

    /// <summary>The value of an <see cref="EncodeSource"/> header.</summary>
    public static string DecodeSource(string? value) =>
        string.IsNullOrEmpty(value) ? "" : value.Contains('%', StringComparison.Ordinal) ? Unescape(value) : value;

    /// <summary>The names of an <see cref="EncodeDomains"/> value; a malformed escape is kept as it is.</summary>
    public static string[] DecodeDomains(string? value)
    {
        if (string.IsNullOrEmpty(value)) return [];
        var names = value.Split(',');
        for (var i = 0; i < names.Length; i++)
        {
            if (names[i].Contains('%', StringComparison.Ordinal)) names[i] = Unescape(names[i]);
        }
        return names;
    }

    /// <summary>
    /// The <c>data</c> array of a domains-only message (<c>{"data":["a.example",…],"message_type":"dns_entries"}</c>)
    /// as an <see cref="EncodeDomains"/> value, or "" when the message has none.
    /// </summary>
    public static string DomainsOfDomainsMessage(ReadOnlySpan<byte> message)
    {
        var reader = new Utf8JsonReader(message);
        var names = new List<string>();
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return "";
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isData = reader.ValueTextEquals("data"u8);
                reader.Read();
                if (isData && reader.TokenType == JsonTokenType.StartArray)
                {
                    while (reader.Read() && reader.TokenType == JsonTokenType.String)
                        names.Add(reader.GetString()!);
                    break;
                }
                reader.Skip();
            }
        }
        catch (JsonException)
        {
            return "";
        }
        return EncodeDomains(names);
    }

    private static string Unescape(string name)
    {
        var bytes = new ArrayBufferWriter<byte>(name.Length);
        for (var i = 0; i < name.Length; i++)
        {
            if (name[i] == '%' && i + 2 < name.Length && Uri.IsHexDigit(name[i + 1]) && Uri.IsHexDigit(name[i + 2]))
            {
                bytes.GetSpan(1)[0] = (byte)((HexValue(name[i + 1]) << 4) | HexValue(name[i + 2]));
                bytes.Advance(1);
                i += 2;
                continue;
            }
            var written = Encoding.UTF8.GetBytes(name.AsSpan(i, 1), bytes.GetSpan(4));
            bytes.Advance(written);
        }
        return Encoding.UTF8.GetString(bytes.WrittenSpan);
    }

    private static int HexValue(char c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;
}
