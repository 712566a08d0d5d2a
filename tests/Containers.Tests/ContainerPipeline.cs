using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Serialization;
using DotNet.Testcontainers.Builders;
using DotNet.Testcontainers.Containers;
using DotNet.Testcontainers.Images;
using DotNet.Testcontainers.Networks;
using DotNet.Testcontainers.Volumes;

namespace Certstream.Containers.Tests;

/// <summary>
/// The compose demo's topology driven with Testcontainers: on one network, NATS (JetStream on a named volume), the CT log
/// simulator, the ingestor, the parsers and the edge, each from the project's image with the compose file's settings,
/// each waited for on its <c>/readyz</c>. <see cref="DownAsync"/> and <see cref="UpAsync"/> remove and recreate everything
/// but the simulator and the volume, as <c>docker compose down</c> and <c>up</c> do.
/// </summary>
internal sealed class ContainerPipeline : IAsyncDisposable
{
    public const string SimulatorAlias = "ctlog-sim";
    private const ushort EdgePort = 8080;
    private readonly string _run = Guid.NewGuid().ToString("N")[..8];
    private readonly int _parsers;
    private readonly List<IContainer> _removed = [];

    private ContainerPipeline(int parsers)
    {
        _parsers = parsers;
        Network = new NetworkBuilder().WithName("certstream-test-" + _run).Build();
        NatsData = new VolumeBuilder().WithName("certstream-test-nats-" + _run).Build();
        Simulator = Container("ctlog-sim", ["ctlog-sim", "--port", "8090", "--public-url", $"http://{SimulatorAlias}:8090", "--rfc6962-logs", "2",
            "--tiled-logs", "1", "--rate", "20", "--seed", "1"], 8090, "/log_list.json", []);
    }

    public INetwork Network { get; }

    public IVolume NatsData { get; }

    public IContainer Simulator { get; }

    public IContainer Nats { get; private set; } = null!;

    public IContainer Ingestor { get; private set; } = null!;

    public IReadOnlyList<IContainer> Parsers { get; private set; } = [];

    public IContainer Edge { get; private set; } = null!;

    public Uri EdgeWebSocket(string path) => new($"ws://127.0.0.1:{Edge.GetMappedPublicPort(EdgePort)}{path}");

    public string NatsUrl => $"nats://127.0.0.1:{Nats.GetMappedPublicPort(4222)}";

    public Uri SimulatorUrl => new($"http://127.0.0.1:{Simulator.GetMappedPublicPort(8090)}/");

    public static async Task<ContainerPipeline> StartAsync(int parsers, CancellationToken cancellationToken)
    {
        var pipeline = new ContainerPipeline(parsers);
        try
        {
            await pipeline.Network.CreateAsync(cancellationToken);
            await pipeline.NatsData.CreateAsync(cancellationToken);
            await pipeline.Simulator.StartAsync(cancellationToken);
            await pipeline.UpAsync(cancellationToken);
        }
        catch
        {
            await pipeline.DisposeAsync();
            throw;
        }
        return pipeline;
    }

    /// <summary>NATS on the volume, then the ingestor, the parsers and the edge: new containers, as <c>docker compose up</c> makes them.</summary>
    public async Task UpAsync(CancellationToken cancellationToken)
    {
        Nats = new ContainerBuilder(ContainerImages.Nats).WithImagePullPolicy(PullPolicy.Never)
            .WithName($"certstream-test-{_run}-nats-{_removed.Count}")
            .WithNetwork(Network).WithNetworkAliases("nats")
            .WithCommand("-js", "-sd", "/data", "-m", "8222")
            .WithVolumeMount(NatsData, "/data")
            .WithPortBinding(4222, true).WithPortBinding(8222, true)
            .WithWaitStrategy(Wait.ForUnixContainer().UntilHttpRequestIsSucceeded(r => r.ForPort(8222).ForPath("/healthz")))
            .Build();
        await Nats.StartAsync(cancellationToken);

        (string, string)[] nats = [("CERTSTREAM_NATS_URL", "nats://nats:4222")];
        Ingestor = Container("ingestor", ["ingestor"], 9101, "/readyz",
        [
            .. nats,
            ("CERTSTREAM_GENERAL_LOG_LIST_URL", $"http://{SimulatorAlias}:8090/log_list.json"),
            ("CERTSTREAM_GENERAL_START_AT", "0"),
            ("CERTSTREAM_INGESTOR_STH_POLL_INTERVAL", "500ms"),
            ("CERTSTREAM_INGESTOR_PARTIAL_TILE_WAIT", "2s"),
        ]);
        Parsers = [.. Enumerable.Range(1, _parsers).Select(i => Container($"parser-{i}", ["parser"], 9102, "/readyz", nats))];
        Edge = Container("edge", ["edge"], EdgePort, "/readyz", nats);
        await Task.WhenAll([Ingestor.StartAsync(cancellationToken), Edge.StartAsync(cancellationToken), .. Parsers.Select(p => p.StartAsync(cancellationToken))]);
    }

    /// <summary>Stops (SIGTERM) and removes the certstream services and NATS; the simulator, the network and the volume stay.</summary>
    public async Task DownAsync(CancellationToken cancellationToken)
    {
        IContainer[] services = [Ingestor, Edge, .. Parsers];
        await Task.WhenAll(services.Select(s => s.StopAsync(cancellationToken)));
        await Nats.StopAsync(cancellationToken);
        foreach (var container in services.Append(Nats))
        {
            _removed.Add(container);
            await container.DisposeAsync();
        }
    }

    /// <summary>SIGKILL, as a crash would (<c>docker kill</c>).</summary>
    public static async Task KillAsync(IContainer container)
    {
        var psi = new ProcessStartInfo("docker", ["kill", container.Id]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var process = Process.Start(psi)!;
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0) throw new InvalidOperationException($"docker kill {container.Name}: {error}");
    }

    /// <summary>The simulator's logs with their current tree sizes (<c>/_sim/logs</c>).</summary>
    public async Task<IReadOnlyList<SimLog>> LogsAsync(CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = SimulatorUrl, Timeout = TimeSpan.FromSeconds(10) };
        return await http.GetFromJsonAsync<List<SimLog>>("_sim/logs", cancellationToken) ?? [];
    }

    /// <summary>How often each entry of <paramref name="log"/> below <paramref name="end"/> was served (<c>/_sim/record</c>).</summary>
    public async Task<IReadOnlyList<int>> ServedAsync(string log, long end, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = SimulatorUrl, Timeout = TimeSpan.FromSeconds(30) };
        var served = new List<int>();
        while (served.Count < end)
        {
            var page = await http.GetFromJsonAsync<SimRecord>($"_sim/record/{log}?start={served.Count}&end={end - 1}", cancellationToken)
                ?? throw new InvalidOperationException("empty record");
            served.AddRange(page.Entries.Select(e => e.Served));
        }
        return served;
    }

    /// <summary>Every container's output, for a failure message.</summary>
    public async Task<string> DiagnosticsAsync()
    {
        var text = new System.Text.StringBuilder();
        IContainer[] all = [Simulator, Nats, Ingestor, Edge, .. Parsers];
        foreach (var container in all.Where(c => c is not null))
        {
            try
            {
                var (stdout, stderr) = await container.GetLogsAsync(timestampsEnabled: false);
                var lines = (stdout + stderr).Split('\n', StringSplitOptions.RemoveEmptyEntries);
                text.Append("--- ").Append(container.Name).Append('\n').AppendJoin('\n', lines.TakeLast(15)).Append('\n');
            }
            catch (Exception e) when (e is InvalidOperationException or HttpRequestException or Docker.DotNet.DockerApiException)
            {
                text.Append("--- ").Append(container.Name).Append(": no logs (").Append(e.Message).Append(")\n");
            }
        }
        return text.ToString();
    }

    public async ValueTask DisposeAsync()
    {
        IContainer?[] all = [Simulator, Nats, Ingestor, Edge, .. Parsers];
        foreach (var container in all)
        {
            if (container is not null) await container.DisposeAsync();
        }
        await NatsData.DisposeAsync();
        await Network.DisposeAsync();
    }

    private IContainer Container(string name, string[] command, ushort port, string readyPath, IEnumerable<(string Key, string Value)> environment)
    {
        var builder = new ContainerBuilder(ContainerImages.Certstream).WithImagePullPolicy(PullPolicy.Never)
            .WithName($"certstream-test-{_run}-{name}-{_removed.Count}")
            .WithNetwork(Network).WithNetworkAliases(name == "ctlog-sim" ? SimulatorAlias : name)
            .WithCommand(command)
            .WithPortBinding(port, true)
            .WithWaitStrategy(Wait.ForUnixContainer().UntilHttpRequestIsSucceeded(r => r.ForPort(port).ForPath(readyPath)));
        foreach (var (key, value) in environment)
            builder = builder.WithEnvironment(key, value);
        return builder.Build();
    }
}

internal sealed record SimLog(
    [property: JsonPropertyName("name")] string Name,
    [property: JsonPropertyName("kind")] string Kind,
    [property: JsonPropertyName("url")] string Url,
    [property: JsonPropertyName("tree_size")] long TreeSize)
{
    /// <summary>The <c>data.source.url</c> of its messages: the log URL without its trailing '/'.</summary>
    public string SourceUrl => Url.TrimEnd('/');
}

internal sealed record SimRecord([property: JsonPropertyName("entries")] IReadOnlyList<SimServed> Entries);

internal sealed record SimServed([property: JsonPropertyName("index")] long Index, [property: JsonPropertyName("served")] int Served);
