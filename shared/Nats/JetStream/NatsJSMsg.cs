using System.Globalization;
using System.Text;

namespace Certstream.Nats.JetStream;

/// <summary>A message delivered by a pull consumer, with the acknowledgements of §3.8.</summary>
public sealed class NatsJSMsg
{
    private readonly NatsJSContext _js;

    internal NatsJSMsg(NatsJSContext js, NatsMsg msg)
    {
        _js = js;
        Msg = msg;
        Metadata = NatsJSMsgMetadata.Parse(msg.ReplyTo);
    }

    public NatsMsg Msg { get; }

    /// <summary>The stream subject the message was stored under (not the inbox, §3.7).</summary>
    public string Subject => Msg.Subject;

    public ReadOnlyMemory<byte> Data => Msg.Data;

    public NatsHeaders? Headers => Msg.Headers;

    /// <summary>Parsed from the ack subject; null if the message carries none (ack policy none).</summary>
    public NatsJSMsgMetadata? Metadata { get; }

    /// <summary><c>+ACK</c>. With <paramref name="confirm"/>, waits for the server's confirmation (a "double ack").</summary>
    public ValueTask AckAsync(bool confirm = false, CancellationToken cancellationToken = default) => SendAsync("+ACK"u8.ToArray(), confirm, cancellationToken);

    /// <summary><c>-NAK</c>, optionally <c>-NAK {"delay":ns}</c> to redeliver later.</summary>
    public ValueTask NakAsync(TimeSpan? delay = null, bool confirm = false, CancellationToken cancellationToken = default) =>
        SendAsync(delay is { } d
            ? Encoding.ASCII.GetBytes("-NAK {\"delay\":" + (d.Ticks * 100).ToString(CultureInfo.InvariantCulture) + "}")
            : "-NAK"u8.ToArray(), confirm, cancellationToken);

    /// <summary><c>+WPI</c>: still working, reset the ack wait.</summary>
    public ValueTask InProgressAsync(bool confirm = false, CancellationToken cancellationToken = default) => SendAsync("+WPI"u8.ToArray(), confirm, cancellationToken);

    /// <summary><c>+TERM</c>, exactly: 2.9 does not accept a reason (trap 9).</summary>
    public ValueTask TermAsync(bool confirm = false, CancellationToken cancellationToken = default) => SendAsync("+TERM"u8.ToArray(), confirm, cancellationToken);

    private async ValueTask SendAsync(byte[] body, bool confirm, CancellationToken cancellationToken)
    {
        var reply = Msg.ReplyTo ?? throw new NatsJSException("This message has no ack subject (consumer with ack policy none?)");
        if (confirm) await _js.Connection.RequestAsync(reply, body, cancellationToken: cancellationToken).ConfigureAwait(false);
        else await _js.Connection.PublishAsync(reply, body, cancellationToken: cancellationToken).ConfigureAwait(false);
    }
}
