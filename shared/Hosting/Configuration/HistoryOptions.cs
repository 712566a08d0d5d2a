namespace Certstream.Hosting.Configuration;

/// <summary>
/// The <c>history:</c> section (README "Resume"): which streams the <c>CT_HISTORY</c> JetStream stream keeps for clients
/// that resume with <c>?since=</c>, and for how long. The parser creates the stream with these limits; an edge reads
/// what is kept from the stream itself.
/// </summary>
public sealed record HistoryOptions
{
    /// <summary>The stream names a history may keep, as the NATS subjects name them (<c>certstream.&lt;stream&gt;.&lt;log&gt;</c>).</summary>
    public static readonly ConfigList<string> StreamNames = ["full", "lite", "domains"];

    /// <summary>Streams kept; empty turns resume off (and <c>CT_HISTORY</c> is not created).</summary>
    public ConfigList<string> Streams { get; init; } = ["lite", "domains"];

    public TimeSpan MaxAge { get; init; } = TimeSpan.FromHours(1);

    /// <summary>Upper bound of the stream's size on the NATS server's disk; the oldest messages go first.</summary>
    public long MaxBytes { get; init; } = 4L << 30;

    public bool Enabled => Streams.Count > 0;
}
