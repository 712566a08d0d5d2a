namespace Certstream.Nats.JetStream;

/// <summary>Headers the server acts on when storing a message (§3.5). Null/unset means "no expectation".</summary>
public sealed record NatsJSPubOpts
{
    /// <summary><c>Nats-Msg-Id</c>: de-duplication within the stream's duplicate_window.</summary>
    public string? MsgId { get; init; }

    /// <summary><c>Nats-Expected-Stream</c> (10060 on mismatch).</summary>
    public string? ExpectedStream { get; init; }

    /// <summary><c>Nats-Expected-Last-Sequence</c>: the stream's last sequence (10071 on mismatch).</summary>
    public ulong? ExpectedLastSequence { get; init; }

    /// <summary><c>Nats-Expected-Last-Subject-Sequence</c>: last sequence on this subject; 0 = no message yet (10071).</summary>
    public ulong? ExpectedLastSubjectSequence { get; init; }

    /// <summary><c>Nats-Expected-Last-Msg-Id</c> (10070 on mismatch).</summary>
    public string? ExpectedLastMsgId { get; init; }

    /// <summary>The caller's headers plus these, as a new object when there is anything to add (the caller's is never changed).</summary>
    internal NatsHeaders? Apply(NatsHeaders? headers)
    {
        if (MsgId is null && ExpectedStream is null && ExpectedLastSequence is null && ExpectedLastSubjectSequence is null && ExpectedLastMsgId is null)
            return headers;
        var result = headers is null ? new NatsHeaders() : Copy(headers);
        ApplyTo(result);
        return result;
    }

    internal void ApplyTo(NatsHeaders headers)
    {
        if (MsgId is not null) headers["Nats-Msg-Id"] = MsgId;
        if (ExpectedStream is not null) headers["Nats-Expected-Stream"] = ExpectedStream;
        if (ExpectedLastSequence is { } seq) headers["Nats-Expected-Last-Sequence"] = seq.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (ExpectedLastSubjectSequence is { } sseq) headers["Nats-Expected-Last-Subject-Sequence"] = sseq.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (ExpectedLastMsgId is not null) headers["Nats-Expected-Last-Msg-Id"] = ExpectedLastMsgId;
    }

    internal static NatsHeaders Copy(NatsHeaders headers)
    {
        var copy = new NatsHeaders();
        foreach (var (key, value) in headers) copy.Add(key, value);
        return copy;
    }
}
