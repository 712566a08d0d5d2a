using System.Buffers;
using System.Text;
using Certstream.Nats.JetStream;
using Certstream.Nats.JetStream.Internal;
using Certstream.Nats.JetStream.Models;

namespace Certstream.Nats.Tests.JetStream;

public sealed class PubAckParserTests
{
    private static PubAck Parse(string json, ref string? cache) => PubAckParser.Parse(new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(json)), ref cache);

    [Fact]
    public void The_server_s_exact_acks_parse_and_the_stream_name_is_reused()
    {
        string? cache = null;
        // §3.5, with the server's odd spacing.
        var first = Parse("{\"stream\":\"ORDERS\", \"seq\":1}", ref cache);
        var dup = Parse("{\"stream\":\"ORDERS\", \"seq\":2,\"duplicate\": true}", ref cache);
        Assert.Equal(new PubAck("ORDERS", 1, false), first);
        Assert.Equal(new PubAck("ORDERS", 2, true), dup);
        Assert.Same(first.Stream, dup.Stream);
        Assert.Equal("OTHER", Parse("{\"stream\":\"OTHER\",\"seq\":3,\"domain\":\"hub\"}", ref cache).Stream);
    }

    [Fact]
    public void An_error_ack_throws_the_typed_api_error()
    {
        string? cache = null;
        var e = Assert.Throws<NatsJSApiException>(() => Parse("{\"error\":{\"code\":400,\"err_code\":10071,\"description\":\"wrong last sequence: 0\"},\"stream\":\"ORDERS\",\"seq\":0}", ref cache));
        Assert.Equal((400, 10071, "wrong last sequence: 0"), (e.Code, e.ErrCode, e.Description));
        Assert.Throws<NatsJSApiException>(() => Parse("{\"seq\":1}", ref cache));
        Assert.Throws<NatsJSApiException>(() => Parse("[]", ref cache));
    }
}
