using System.Globalization;

namespace Certstream.Nats.JetStream;

/// <summary>What the ack subject says about a delivered message (§3.8).</summary>
public sealed record NatsJSMsgMetadata(
    string Stream,
    string Consumer,
    ulong NumDelivered,
    ulong StreamSequence,
    ulong ConsumerSequence,
    DateTimeOffset Timestamp,
    ulong NumPending,
    string? Domain)
{
    /// <summary>
    /// Parses <c>$JS.ACK.&lt;stream&gt;.&lt;consumer&gt;.&lt;delivered&gt;.&lt;sseq&gt;.&lt;cseq&gt;.&lt;ts&gt;.&lt;pending&gt;</c> (v1, 9 tokens, what 2.9 sends)
    /// or <c>$JS.ACK.&lt;domain&gt;.&lt;account&gt;.&lt;stream&gt;.…[.&lt;random&gt;]</c> (v2, 11+ tokens). Null when it is neither.
    /// </summary>
    public static NatsJSMsgMetadata? TryParse(string? ackSubject)
    {
        if (ackSubject is null || !ackSubject.StartsWith("$JS.ACK.", StringComparison.Ordinal)) return null;
        var tokens = ackSubject.Split('.');
        int first;
        string? domain = null;
        if (tokens.Length == 9)
        {
            first = 2;
        }
        else if (tokens.Length >= 11)
        {
            first = 4;
            domain = tokens[2] == "_" ? null : tokens[2];
        }
        else
        {
            return null;
        }
        if (!TryNum(tokens[first + 2], out var delivered) || !TryNum(tokens[first + 3], out var sseq) || !TryNum(tokens[first + 4], out var cseq)
            || !long.TryParse(tokens[first + 5], NumberStyles.None, CultureInfo.InvariantCulture, out var ts) || !TryNum(tokens[first + 6], out var pending))
            return null;
        var timestamp = DateTimeOffset.UnixEpoch.AddTicks(ts / 100);
        return new NatsJSMsgMetadata(tokens[first], tokens[first + 1], delivered, sseq, cseq, timestamp, pending, domain);
    }

    private static bool TryNum(string s, out ulong value) => ulong.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out value);
}
