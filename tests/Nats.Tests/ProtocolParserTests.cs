using System.Buffers;
using System.Text;
using Certstream.Nats.Internal;

namespace Certstream.Nats.Tests;

public sealed class ProtocolParserTests
{
    private sealed class Recorder : IProtocolHandler
    {
        public List<string> Ops { get; } = [];

        public void OnMsg(ReadOnlySpan<byte> subject, int sid, ReadOnlySpan<byte> replyTo, int headerLength, in ReadOnlySequence<byte> body)
        {
            var headers = headerLength > 0 ? HeaderParser.Parse(body.Slice(0, headerLength)) : null;
            Ops.Add($"MSG {Encoding.UTF8.GetString(subject)} {sid} [{Encoding.UTF8.GetString(replyTo)}] {headers?.StatusCode ?? -1} |{Encoding.UTF8.GetString(body.Slice(headerLength))}|");
        }

        public void OnPing() => Ops.Add("PING");
        public void OnPong() => Ops.Add("PONG");
        public void OnOk() => Ops.Add("+OK");
        public void OnErr(string message) => Ops.Add("ERR " + message);
        public void OnInfo(ReadOnlySpan<byte> json) => Ops.Add("INFO " + ServerInfoParser.Parse(json).ServerId);
    }

    private static List<string> Parse(string text)
    {
        var recorder = new Recorder();
        var buffer = new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(text));
        ProtocolParser.ParseAll(ref buffer, recorder, 1024 * 1024);
        Assert.True(buffer.IsEmpty, "everything complete is consumed");
        return recorder.Ops;
    }

    [Fact]
    public void Jetstream_double_spaces_tabs_and_lower_case_ops_parse()
    {
        var ops = Parse("MSG _INBOX.abc.7 1  28\r\n{\"stream\":\"ORDERS\", \"seq\":1}\r\n" +
                        "hmsg\t_INBOX.pull.a 2  16 16\r\nNATS/1.0 503\r\n\r\n\r\n" +
                        "ping\r\nPong\r\n+OK\r\n-ERR 'Invalid Subject'\r\nINFO {\"server_id\":\"S1\",\"max_payload\":100}\r\n");
        Assert.Equal([
            "MSG _INBOX.abc.7 1 [] -1 |{\"stream\":\"ORDERS\", \"seq\":1}|",
            "MSG _INBOX.pull.a 2 [] 503 ||",
            "PING", "PONG", "+OK", "ERR Invalid Subject", "INFO S1"], ops);
    }

    [Fact]
    public void Status_lines_with_descriptions_and_headers_are_parsed()
    {
        const string hdr = "NATS/1.0 408 Request Timeout\r\nNats-Pending-Messages: 5\r\nNats-Pending-Bytes: 9\r\n\r\n";
        var buffer = new ReadOnlySequence<byte>(Encoding.ASCII.GetBytes(hdr));
        var headers = HeaderParser.Parse(buffer);
        Assert.Equal(408, headers.StatusCode);
        Assert.Equal("Request Timeout", headers.StatusDescription);
        Assert.Equal("5", headers["Nats-Pending-Messages"]);
        Assert.Equal("9", headers["Nats-Pending-Bytes"]);
    }

    [Fact]
    public void An_incomplete_message_waits_for_more_bytes_at_every_split_point()
    {
        const string stream = "MSG a.b 3 reply.to 5\r\nhello\r\nHMSG c 4 26 29\r\nNATS/1.0\r\nK: v1\r\nK: v2\r\n\r\nxyz\r\nPING\r\n";
        var bytes = Encoding.ASCII.GetBytes(stream);
        var expected = Parse(stream);
        Assert.Equal(3, expected.Count);
        for (var split = 0; split <= bytes.Length; split++)
        {
            var recorder = new Recorder();
            var first = new ReadOnlySequence<byte>(bytes, 0, split);
            ProtocolParser.ParseAll(ref first, recorder, 1024);
            var rest = new ReadOnlySequence<byte>(bytes, split - (int)first.Length, bytes.Length - split + (int)first.Length);
            ProtocolParser.ParseAll(ref rest, recorder, 1024);
            Assert.True(rest.IsEmpty);
            Assert.Equal(expected, recorder.Ops);
        }
    }

    [Theory]
    [InlineData("MSG a 1 999999999\r\n")]            // bigger than the limit: rejected before buffering it
    [InlineData("MSG a 1 -5\r\n")]
    [InlineData("MSG a 1\r\n")]
    [InlineData("MSG a x 1\r\nz\r\n")]
    [InlineData("HMSG a 1 20 10\r\n")]                 // header longer than total
    [InlineData("MSG a 1 3\r\nabcXY")]                 // payload not followed by CRLF
    [InlineData("FOO\r\n")]
    [InlineData("PINGPONG\r\n")]
    [InlineData("INFO {not json}\r\n")]
    [InlineData("INFO {\"max_payload\":-1}\r\n")]
    public void Malformed_input_is_a_protocol_error(string input)
    {
        var buffer = new ReadOnlySequence<byte>(Encoding.ASCII.GetBytes(input));
        Assert.Throws<NatsProtocolException>(() => ProtocolParser.ParseAll(ref buffer, new Recorder(), 1024));
    }

    [Fact]
    public void A_control_line_without_end_is_rejected_after_the_4096_byte_limit()
    {
        var buffer = new ReadOnlySequence<byte>(Encoding.ASCII.GetBytes("MSG " + new string('a', 5000)));
        Assert.Throws<NatsProtocolException>(() => ProtocolParser.ParseAll(ref buffer, new Recorder(), 1024));
        var shorter = new ReadOnlySequence<byte>(Encoding.ASCII.GetBytes("MSG " + new string('a', 3000)));
        ProtocolParser.ParseAll(ref shorter, new Recorder(), 1024); // still waiting, not an error yet
        Assert.Equal(3004, shorter.Length);
    }
}
