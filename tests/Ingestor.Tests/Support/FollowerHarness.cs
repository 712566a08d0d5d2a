using Certstream.Hosting.Metrics;
using Certstream.Ingestor.Http;
using Certstream.Ingestor.Logs;
using Certstream.Ingestor.Rfc6962;
using Certstream.Ingestor.Tiled;

namespace Certstream.Ingestor.Tests.Support;

/// <summary>Builds followers wired to a recording publisher, a memory checkpoint store and a real HTTP client.</summary>
internal sealed class FollowerHarness : IDisposable
{
    private readonly HttpClient _client;

    public FollowerHarness(IngestorSettings settings)
    {
        Settings = settings;
        Metrics = new IngestorMetrics(ServiceMetrics);
        _client = CtHttpClient.Create(settings);
        Context = new FollowerContext(settings, new LogHttp(_client, Metrics, TimeProvider.System, settings.MaxResponseBytes),
            Publisher, Checkpoints, Metrics, Loggers, TimeProvider.System);
    }

    public IngestorSettings Settings { get; }
    public RecordingPublisher Publisher { get; } = new();
    public MemoryCheckpointStore Checkpoints { get; } = new();
    public CapturingLoggerFactory Loggers { get; } = new();
    public ServiceMetrics ServiceMetrics { get; } = new(includeProcessMetrics: false);
    public IngestorMetrics Metrics { get; }
    public FollowerContext Context { get; }
    public IssuerCache Issuers { get; } = new();

    public static LogDescriptor Describe(string url, LogKind kind) => new(LogKeys.FromUrl(url), url, "test log", "Test", kind);

    public Rfc6962Follower Rfc6962(string url) => new(Describe(url, LogKind.Rfc6962), Context);

    public TiledFollower Tiled(string url) => new(Describe(url, LogKind.Tiled), Context, new TestTileLeafSource(), Issuers);

    /// <summary>A follower for <paramref name="log"/> (its kind, its key); tiled logs with the production leaf converter.</summary>
    public LogFollower Follower(LogDescriptor log) => log.Kind == LogKind.Tiled
        ? new TiledFollower(log, Context, new TiledLeafConverter(), Issuers)
        : new Rfc6962Follower(log, Context);

    public void Dispose()
    {
        _client.Dispose();
    }
}
