using System.Buffers;
using System.Text;

namespace Certstream.Nats.Internal;

/// <summary>
/// Parses a received header block (§1.6). Lenient on purpose: headers published by other clients are relayed
/// verbatim by the server, so a malformed line is skipped rather than dropping our connection.
/// </summary>
internal static class HeaderParser
{
    public static NatsHeaders Parse(in ReadOnlySequence<byte> block)
    {
        ReadOnlySpan<byte> span = block.IsSingleSegment ? block.FirstSpan : block.ToArray();
        var eol = span.IndexOf("\r\n"u8);
        var first = eol < 0 ? span : span[..eol];
        var rest = eol < 0 ? default : span[(eol + 2)..];

        var code = 0;
        string? description = null;
        if (first.StartsWith("NATS/1.0"u8))
        {
            var status = first[8..].Trim(" \t"u8);
            if (status.Length >= 3 && IsDigit(status[0]) && IsDigit(status[1]) && IsDigit(status[2])
                && (status.Length == 3 || status[3] is (byte)' ' or (byte)'\t'))
            {
                code = ((status[0] - '0') * 100) + ((status[1] - '0') * 10) + (status[2] - '0');
                var text = status[3..].Trim(" \t"u8);
                if (!text.IsEmpty) description = Encoding.UTF8.GetString(text);
            }
        }

        var headers = new NatsHeaders(code, description);
        while (!rest.IsEmpty)
        {
            eol = rest.IndexOf("\r\n"u8);
            var line = eol < 0 ? rest : rest[..eol];
            rest = eol < 0 ? default : rest[(eol + 2)..];
            if (line.IsEmpty) break; // the blank line ends the block
            var colon = line.IndexOf((byte)':');
            if (colon <= 0) continue;
            var key = line[..colon].Trim(" \t"u8);
            if (key.IsEmpty) continue;
            headers.AddParsed(Encoding.UTF8.GetString(key), Encoding.UTF8.GetString(line[(colon + 1)..].Trim(" \t"u8)));
        }
        return headers;
    }

    private static bool IsDigit(byte b) => (uint)(b - '0') <= 9;
}
