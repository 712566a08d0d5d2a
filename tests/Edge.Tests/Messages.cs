using System.Text;

namespace Certstream.Edge.Tests;

/// <summary>Stand-ins for the parser's messages: one JSON object each, distinguishable by index.</summary>
internal static class Messages
{
    public static byte[] Certificate(int index, string stream = "lite", int padding = 0) =>
        Encoding.UTF8.GetBytes(
            $$"""{"data":{"cert_index":{{index}},"stream":"{{stream}}","pad":"{{new string('x', padding)}}"},"message_type":"certificate_update"}""");

    public static byte[] Domains(int index) =>
        Encoding.UTF8.GetBytes($$"""{"data":["d{{index}}.example.com"],"message_type":"dns_entries"}""");
}
