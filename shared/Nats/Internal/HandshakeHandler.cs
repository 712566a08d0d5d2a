using System.Buffers;

namespace Certstream.Nats.Internal;

/// <summary>Collects what the server sends during the handshake (§1.4): INFO, then PONG or -ERR.</summary>
internal sealed class HandshakeHandler : IProtocolHandler
{
    public NatsServerInfo? Info { get; private set; }
    public bool GotPong { get; private set; }
    public string? Error { get; private set; }
    public int PingsToAnswer { get; set; }

    public void OnInfo(ReadOnlySpan<byte> json) => Info = ServerInfoParser.Parse(json);

    public void OnPong() => GotPong = true;

    public void OnErr(string message) => Error ??= message;

    public void OnPing() => PingsToAnswer++;

    public void OnOk() { }

    public void OnMsg(ReadOnlySpan<byte> subject, int sid, ReadOnlySpan<byte> replyTo, int headerLength, in ReadOnlySequence<byte> body) =>
        throw new NatsProtocolException("MSG before the handshake completed");
}
