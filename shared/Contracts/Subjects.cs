namespace Certstream.Contracts;

/// <summary>The NATS subjects of the public contract (README "NATS subjects"); <c>&lt;log&gt;</c> is a <see cref="LogKey"/>.</summary>
public static class Subjects
{
    /// <summary>
    /// Every <c>ct.raw.&lt;log&gt;</c>, for a subscription (a log key is one token). The stream's own subjects are
    /// <see cref="JetStreamNames.RawStreamSubjects"/>.
    /// </summary>
    public const string AllRaw = "ct.raw.*";

    public const string AllFull = "certstream.full.*";

    public const string AllLite = "certstream.lite.*";

    public const string AllDomains = "certstream.domains.*";

    public const string AllRejected = "ct.rejected.*";

    /// <summary>
    /// Every log's subject of one stream (<c>full</c>, <c>lite</c>, <c>domains</c>): <see cref="AllFull"/>,
    /// <see cref="AllLite"/>, <see cref="AllDomains"/> by name, as CT_HISTORY's config and its readers name them.
    /// </summary>
    public static string AllOf(string stream) => "certstream." + stream + ".*";

    /// <summary><c>ct.raw.&lt;log&gt;</c>: raw entries, MessagePack <see cref="RawEntry"/>.</summary>
    public static string Raw(string log) => "ct.raw." + Checked(log);

    /// <summary><c>certstream.full.&lt;log&gt;</c>: the full-stream WebSocket messages.</summary>
    public static string Full(string log) => "certstream.full." + Checked(log);

    /// <summary><c>certstream.lite.&lt;log&gt;</c>: the lite-stream WebSocket messages.</summary>
    public static string Lite(string log) => "certstream.lite." + Checked(log);

    /// <summary><c>certstream.domains.&lt;log&gt;</c>: the domains-only WebSocket messages.</summary>
    public static string Domains(string log) => "certstream.domains." + Checked(log);

    /// <summary><c>ct.rejected.&lt;log&gt;</c>: entries the parser could not decode.</summary>
    public static string Rejected(string log) => "ct.rejected." + Checked(log);

    // A key with '.', '*', '>' or spaces would publish to other subjects than meant.
    private static string Checked(string log) =>
        LogKey.IsValid(log) ? log : throw new ArgumentException($"'{log}' is not a log key (see LogKey.FromUrl)", nameof(log));
}
