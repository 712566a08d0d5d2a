using System.Globalization;

namespace Certstream.Contracts;

/// <summary>The NATS message headers of the public contract (README "NATS subjects").</summary>
public static class MessageHeaders
{
    /// <summary>JetStream's publisher dedupe header on <c>ct.raw.*</c>; value <see cref="MessageIdFor"/>.</summary>
    public const string MessageId = "Nats-Msg-Id";

    /// <summary>Why the parser rejected the entry, on <c>ct.rejected.*</c>; value <see cref="ErrorValue"/>.</summary>
    public const string Error = "Certstream-Error";

    /// <summary>The most characters <see cref="ErrorValue"/> keeps.</summary>
    public const int MaxErrorLength = 256;

    /// <summary><c>&lt;log&gt;:&lt;index&gt;</c>, e.g. <c>ct_googleapis_com_logs_us1_argon2027h1:380000003</c>.</summary>
    public static string MessageIdFor(string log, ulong index) =>
        string.Create(CultureInfo.InvariantCulture, $"{log}:{index}");

    /// <summary>
    /// A reason made fit for a header value: control characters (which would break the NATS header block)
    /// become spaces, and it is cut to <see cref="MaxErrorLength"/> characters.
    /// </summary>
    public static string ErrorValue(string reason)
    {
        ArgumentNullException.ThrowIfNull(reason);
        var length = Math.Min(reason.Length, MaxErrorLength);
        return string.Create(length, reason, static (value, source) =>
        {
            for (var i = 0; i < value.Length; i++)
                value[i] = char.IsControl(source[i]) ? ' ' : source[i];
        }).Trim();
    }
}
