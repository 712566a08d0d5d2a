using System.Text;
using Certstream.Parser.Messages;

namespace Certstream.Parser.Tests;

/// <summary>The text formats of docs/format.md and Go's JSON escaping, on values the fixtures do not reach.</summary>
public sealed class FormatTests
{
    [Theory]
    [InlineData(new byte[] { 0x00 }, "00")]
    [InlineData(new byte[] { 0x00, 0xBA, 0x95 }, "BA95")]
    [InlineData(new byte[] { 0x0B, 0x67, 0x71 }, "0B6771")]
    [InlineData(new byte[] { 0x01 }, "01")]
    [InlineData(new byte[] { 0xFF }, "-1")]
    [InlineData(new byte[] { 0xFE, 0xEE }, "-112")]
    [InlineData(new byte[] { 0xF0 }, "0-10")]
    public void Serial_is_go_percent_X_of_the_signed_integer_padded_to_even_length(byte[] content, string expected)
    {
        using var buffer = new JsonBuffer();
        FieldFormatter.WriteSerial(buffer, content);
        Assert.Equal(expected, Encoding.UTF8.GetString(buffer.WrittenSpan));
    }

    [Theory]
    [InlineData(new byte[] { 10, 0, 0, 1 }, "10.0.0.1")]
    [InlineData(new byte[] { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xFF, 0xFF, 1, 2, 3, 4 }, "1.2.3.4")]
    [InlineData(new byte[] { 0x20, 0x01, 0x0D, 0xB8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 }, "2001:db8::1")]
    [InlineData(new byte[] { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1 }, "::1")]
    [InlineData(new byte[] { 0x20, 0x01, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0, 0, 1 }, "2001:0:1::1:0:1")]
    [InlineData(new byte[] { 0x20, 0x01, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0 }, "2001:0:0:1::")]
    public void Ip_addresses_are_written_as_go_net_IP_String(byte[] ip, string expected)
    {
        using var buffer = new JsonBuffer();
        FieldFormatter.WriteIp(buffer, ip);
        Assert.Equal(expected, Encoding.UTF8.GetString(buffer.WrittenSpan));
    }

    [Theory]
    [InlineData(new byte[] { 0x67, 0x81, 0x0C, 0x01, 0x02, 0x01 }, "2.23.140.1.2.1")]
    [InlineData(new byte[] { 0x55, 0x1D, 0x20, 0x00 }, "2.5.29.32.0")]
    [InlineData(new byte[] { 0x2B, 0x06, 0x01, 0x04, 0x01, 0xD6, 0x79, 0x02, 0x04, 0x03 }, "1.3.6.1.4.1.11129.2.4.3")]
    public void Oids_are_dotted_decimal(byte[] oid, string expected)
    {
        using var buffer = new JsonBuffer();
        FieldFormatter.WriteOid(buffer, oid);
        Assert.Equal(expected, Encoding.UTF8.GetString(buffer.WrittenSpan));
    }

    [Fact]
    public void Strings_are_escaped_like_go_encoding_json_without_html_escaping()
    {
        using var buffer = new JsonBuffer();
        byte[] input = [.. "a\"b\\c<>&\n\t\b\f\u0001\u007f"u8, 0xFF, .. "é\u2028"u8];
        buffer.WriteEscaped(input);
        Assert.Equal("a\\\"b\\\\c<>&\\n\\t\\b\\f\\u0001\u007f\\ufffdé\\u2028", Encoding.UTF8.GetString(buffer.WrittenSpan));
    }

    [Fact]
    public void Source_url_loses_its_trailing_slash_and_gains_a_scheme()
    {
        Assert.Equal("https://ct.googleapis.com/logs/us1/argon2027h1", SourceUrl.Normalize("ct.googleapis.com/logs/us1/argon2027h1/"));
        Assert.Equal("http://127.0.0.1:18090/gold", SourceUrl.Normalize("http://127.0.0.1:18090/gold/"));
    }
}
