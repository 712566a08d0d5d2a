using System.Buffers;
using System.IO.Pipelines;
using Certstream.Nats.Internal;

namespace Certstream.Nats;

public sealed partial class NatsConnection : IProtocolHandler
{
    // Errors after which the server keeps the connection open (§1.7); everything else is fatal.
    private static readonly string[] NonFatalErrors =
    [
        "invalid subject",
        "invalid publish subject",
        "permissions violation",
        "maximum subscriptions exceeded",
    ];

    /// <summary>
    /// The read loop: parse and dispatch until the socket ends. Also what the fuzz tests drive through a Pipe.
    /// Throws <see cref="NatsProtocolException"/> on malformed input.
    /// </summary>
    internal Task ReadLoopAsync(PipeReader reader, CancellationToken cancellationToken) =>
        ProtocolParser.RunAsync(reader, this, PayloadLimit, cancellationToken);

    // A server never relays more than its max_payload; JetStream adds some headers on top, hence the slack.
    private int PayloadLimit() => (ServerInfo?.MaxPayload ?? 1024 * 1024) + (64 * 1024);

    void IProtocolHandler.OnMsg(ReadOnlySpan<byte> subject, int sid, ReadOnlySpan<byte> replyTo, int headerLength, in ReadOnlySequence<byte> body)
    {
        _metrics.MsgsIn++;
        _metrics.BytesIn += body.Length;
        // Route by sid, never by subject (§1.5); a sid we no longer know is a message that crossed our UNSUB.
        if (_subs.TryGetValue(sid, out var sink)) sink.Deliver(subject, replyTo, headerLength, body);
    }

    void IProtocolHandler.OnPing() => _writer.WritePong();

    void IProtocolHandler.OnPong()
    {
        Volatile.Write(ref _pingsOut, 0);
        _writer.OnPong();
    }

    void IProtocolHandler.OnOk() { }

    void IProtocolHandler.OnErr(string message)
    {
        var error = new NatsServerErrorException(message);
        var url = _current is { } current ? Display(current.Url) : null;
        foreach (var prefix in NonFatalErrors)
        {
            if (message.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
            {
                Raise(ServerError, url, error);
                return;
            }
        }
        // Fatal: the server closes the socket right after; fail now so the reason is the -ERR, not an EOF.
        _current?.Fail(error);
    }

    // Async INFO at any time (§1.2): new connect_urls, a new max_payload, or lame duck mode.
    void IProtocolHandler.OnInfo(ReadOnlySpan<byte> json)
    {
        var info = ServerInfoParser.Parse(json);
        var socket = _current;
        if (socket is null)
        {
            Volatile.Write(ref _info, info);
            return;
        }
        ApplyInfo(socket, info);
        if (!info.LameDuckMode) return;
        Raise(LameDuckModeEntered, Display(socket.Url), null);
        // Leave on our own terms while another server can take us (§1.11); alone, wait for the normal close.
        if (_opts.ReconnectOnLameDuck && _pool.HasOtherThan(socket.Url))
            socket.Fail(new NatsException($"{socket.Url.Host}:{socket.Url.Port} entered lame duck mode"));
    }
}
