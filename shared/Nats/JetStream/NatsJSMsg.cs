using System.Globalization;
using System.Text;

namespace Certstream.Nats.JetStream;

/// <summary>
/// A message delivered by a consumer. It keeps the stream subject; its reply subject is the ack subject, which also
/// carries the <see cref="Metadata"/> (§3.7, §3.8). Acknowledge with exactly one of Ack/Nak/Term (InProgress any number of times before).
/// </summary>
public sealed class NatsJSMsg
{
    private static readonly ReadOnlyMemory<byte> AckPayload = "+ACK"u8.ToArray();
    private static readonly ReadOnlyMemory<byte> NakPayload = "-NAK"u8.ToArray();
    private static readonly ReadOnlyMemory<byte> WpiPayload = "+WPI"u8.ToArray();
    private static readonly ReadOnlyMemory<byte> TermPayload = "+TERM"u8.ToArray();

    private readonly INatsConnection _connection;
    private NatsJSMsgMetadata? _metadata;

    internal NatsJSMsg(INatsConnection connection, NatsMsg msg)
    {
        _connection = connection;
        Msg = msg;
    }

    /// <summary>The underlying core message.</summary>
    public NatsMsg Msg { get; }

    public string Subject => Msg.Subject;

    public NatsHeaders? Headers => Msg.Headers;

    public ReadOnlyMemory<byte> Data => Msg.Data;

    /// <summary>The ack subject (<c>$JS.ACK.…</c>).</summary>
    public string? ReplyTo => Msg.ReplyTo;

    /// <summary>Stream, consumer, delivery count, sequences, timestamp and pending count from the ack subject; null when it has none.</summary>
    public NatsJSMsgMetadata? Metadata => _metadata ??= NatsJSMsgMetadata.TryParse(Msg.ReplyTo);

    public ValueTask AckAsync(CancellationToken cancellationToken = default) => SendAsync(AckPayload, cancellationToken);

    /// <summary>
    /// Ack and wait for the server's confirmation ("double ack", §3.8): once it returns the server has recorded the ack.
    /// Throws <see cref="NatsRequestTimeoutException"/> when no confirmation came.
    /// </summary>
    public async ValueTask AckAndWaitAsync(TimeSpan? timeout = null, CancellationToken cancellationToken = default)
    {
        var ackSubject = RequireAckSubject();
        await _connection.RequestAsync(ackSubject, AckPayload, null, timeout, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Asks for redelivery, after <paramref name="delay"/> when given (<c>-NAK {"delay":ns}</c>, §3.8).</summary>
    public ValueTask NakAsync(TimeSpan? delay = null, CancellationToken cancellationToken = default)
    {
        if (delay is not { } d) return SendAsync(NakPayload, cancellationToken);
        var body = Encoding.ASCII.GetBytes("-NAK {\"delay\":" + (d.Ticks * 100).ToString(CultureInfo.InvariantCulture) + "}");
        return SendAsync(body, cancellationToken);
    }

    /// <summary>Work in progress: restarts the ack_wait timer (<c>+WPI</c>).</summary>
    public ValueTask InProgressAsync(CancellationToken cancellationToken = default) => SendAsync(WpiPayload, cancellationToken);

    /// <summary>Never redeliver. Exactly <c>+TERM</c>: 2.9 does not know the reason form (§3.8, §7 #9).</summary>
    public ValueTask TermAsync(CancellationToken cancellationToken = default) => SendAsync(TermPayload, cancellationToken);

    private ValueTask SendAsync(ReadOnlyMemory<byte> payload, CancellationToken cancellationToken) =>
        _connection.PublishAsync(RequireAckSubject(), payload, null, null, cancellationToken);

    private string RequireAckSubject() =>
        Msg.ReplyTo ?? throw new InvalidOperationException("The message has no ack subject (ack policy none?)");
}
