using Certstream.TestSupport;

namespace Certstream.EndToEnd.Tests.Harness;

/// <summary>The simulator's CLI flags the harness uses (tools/ctlog-sim/README.md).</summary>
internal sealed record SimulatorOptions
{
    public int Rfc6962Logs { get; init; } = 2;

    public int TiledLogs { get; init; } = 2;

    /// <summary>Entries each log holds before it starts growing.</summary>
    public int InitialSize { get; init; } = 200;

    /// <summary>Growth per log, entries per second.</summary>
    public double EntriesPerSecondPerLog { get; init; } = 10;

    public int Seed { get; init; } = 1;

    /// <summary>Share of entries that copy a certificate another log holds (the simulator's --cross-log-ratio).</summary>
    public double CrossLogRatio { get; init; }

    /// <summary>RFC 6962 batch caps, round-robin (e.g. "32,256"); null = the simulator's default.</summary>
    public string? BatchCaps { get; init; } = "32,256";
}

/// <summary>What <see cref="Pipeline.StartAsync"/> starts.</summary>
internal sealed record PipelineOptions
{
    public SimulatorOptions Simulator { get; init; } = new();

    /// <summary>The ingestor, parser and edge programs (JIT dlls or AOT executables); the simulator is always the run's default.</summary>
    public ServiceBinarySet Binaries { get; init; } = ServiceBinaries.Default;

    public int Parsers { get; init; } = 1;

    /// <summary>False: only nats-server and the simulator run; the caller starts each service (e.g. to time it alone).</summary>
    public bool StartServices { get; init; } = true;

    public int Edges { get; init; } = 1;

    /// <summary>nats-server processes: 1, or a cluster of 3 (<see cref="Certstream.TestSupport.NatsCluster"/>); the services get every URL.</summary>
    public int NatsNodes { get; init; } = 1;

    /// <summary><c>nats.replicas</c>.</summary>
    public int Replicas { get; init; } = 1;

    /// <summary><c>history.streams</c>; null leaves the default (lite, domains).</summary>
    public IReadOnlyList<string>? HistoryStreams { get; init; }

    /// <summary>ingestor.sth_poll_interval: how often the ingestor asks each log for its size.</summary>
    public string SthPollInterval { get; init; } = "200ms";

    /// <summary>ingestor.partial_tile_wait: short, so tiled logs growing slowly still flow.</summary>
    public string PartialTileWait { get; init; } = "1s";

    /// <summary>Extra <c>webserver:</c> lines for the edges (indented by the harness), e.g. "client_buffer: 64KiB".</summary>
    public IReadOnlyList<string> EdgeSettings { get; init; } = [];

    /// <summary>Extra <c>parser:</c> lines.</summary>
    public IReadOnlyList<string> ParserSettings { get; init; } = [];

    /// <summary>Echo every service line to this sink as it arrives (e.g. the test output), besides keeping it for failure messages.</summary>
    public Action<string>? Log { get; init; }
}
