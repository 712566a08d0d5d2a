namespace Certstream.Nats.JetStream;

/// <summary>Publish expectations, sent as the headers the server acts on (§3.5).</summary>
public sealed record NatsJSPubOpts
{
    /// <summary><c>Nats-Msg-Id</c>: de-duplication within the stream's duplicate window.</summary>
    public string? MsgId { get; init; }

    /// <summary><c>Nats-Expected-Stream</c> (10060 on mismatch).</summary>
    public string? ExpectedStream { get; init; }

    /// <summary><c>Nats-Expected-Last-Sequence</c> (10071 on mismatch).</summary>
    public ulong? ExpectedLastSequence { get; init; }

    /// <summary><c>Nats-Expected-Last-Subject-Sequence</c>; 0 = the subject must have no message (10071).</summary>
    public ulong? ExpectedLastSubjectSequence { get; init; }

    /// <summary><c>Nats-Expected-Last-Msg-Id</c> (10070 on mismatch).</summary>
    public string? ExpectedLastMsgId { get; init; }
}
