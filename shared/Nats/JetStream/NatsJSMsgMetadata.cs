using System.Globalization;

namespace Certstream.Nats.JetStream;

/// <summary>What the ack subject says about a delivery (§3.8): v1 (9 tokens) and v2 (11+ tokens) forms.</summary>
public sealed record NatsJSMsgMetadata(string Stream, string Consumer, ulong NumDelivered, ulong StreamSequence, ulong ConsumerSequence, DateTimeOffset Timestamp, ulong NumPending)
{
    public static NatsJSMsgMetadata? Parse(string? ackSubject)
    {
        if (ackSubject is null || !ackSubject.StartsWith("$JS.ACK.", StringComparison.Ordinal)) return null;
        var t = ackSubject.Split('.');
        // v1: $JS.ACK.<stream>.<consumer>.<delivered>.<sseq>.<cseq>.<ts>.<pending>
        // v2: $JS.ACK.<domain>.<account hash>.<stream>.<consumer>.<delivered>.<sseq>.<cseq>.<ts>.<pending>[.<random>]
        var first = t.Length == 9 ? 2 : t.Length >= 11 ? 4 : -1;
        if (first < 0) return null;
        if (!ulong.TryParse(t[first + 2], NumberStyles.None, CultureInfo.InvariantCulture, out var delivered)
            || !ulong.TryParse(t[first + 3], NumberStyles.None, CultureInfo.InvariantCulture, out var sseq)
            || !ulong.TryParse(t[first + 4], NumberStyles.None, CultureInfo.InvariantCulture, out var cseq)
            || !long.TryParse(t[first + 5], NumberStyles.None, CultureInfo.InvariantCulture, out var ns)
            || !ulong.TryParse(t[first + 6], NumberStyles.None, CultureInfo.InvariantCulture, out var pending))
            return null;
        return new NatsJSMsgMetadata(t[first], t[first + 1], delivered, sseq, cseq, DateTimeOffset.UnixEpoch.AddTicks(ns / 100), pending);
    }
}
