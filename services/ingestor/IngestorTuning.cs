using Certstream.Ingestor.Publishing;
using Certstream.Ingestor.Tiled;

namespace Certstream.Ingestor;

/// <summary>
/// The ingestor service's operating constants, beside the config keys (README "Configuration"): tests and the bench
/// shorten them; <see cref="IngestorRegistration.AddIngestor"/> takes them.
/// </summary>
internal sealed record IngestorTuning
{
    /// <summary>Who holds a log's lease: the host name by default, so a restarted process takes its own leases back at once.</summary>
    public string InstanceId { get; init; } = Environment.MachineName;

    /// <summary>How long a lease lives without renewal (the <c>ct_leases</c> bucket's max_age); renewed every third of it.</summary>
    public TimeSpan LeaseTtl { get; init; } = TimeSpan.FromSeconds(30);

    public JetStreamPublisherSettings Publisher { get; init; } = new();

    /// <summary>Backoff between attempts to ensure <c>CT_RAW</c> and the KV buckets.</summary>
    public TimeSpan EnsureRetryMin { get; init; } = TimeSpan.FromMilliseconds(500);

    public TimeSpan EnsureRetryMax { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Adjusts the settings made from the config (the operating constants in <see cref="IngestorSettings"/>).</summary>
    public Func<IngestorSettings, IngestorSettings> Settings { get; init; } = static settings => settings;

    /// <summary>Turns tiled-log leaves into RFC 6962 entries.</summary>
    public ITileLeafSource TileLeaves { get; init; } = new TiledLeafConverter();
}
