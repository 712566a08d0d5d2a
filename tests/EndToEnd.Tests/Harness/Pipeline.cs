using Certstream.TestSupport;

namespace Certstream.EndToEnd.Tests.Harness;

/// <summary>
/// The whole product as separate processes: nats-server (JetStream), the CT log simulator, the ingestor,
/// N parsers and N edges, each on free ports with its own config file in a temporary folder.
/// <see cref="StartAsync"/> starts everything but the ingestor and waits for each /readyz, so clients can
/// connect before the first entry flows; <see cref="StartIngestorAsync"/> then starts the backfill (start_at: 0).
/// Dispose kills every process it started and deletes the folder.
/// </summary>
internal sealed class Pipeline : IAsyncDisposable
{
    private readonly DirectoryInfo _directory;
    private readonly List<PipelineService> _services = [];

    private Pipeline(DirectoryInfo directory, NatsServer nats, NatsCluster? cluster, SimulatorProcess simulator)
    {
        _directory = directory;
        Nats = nats;
        Cluster = cluster;
        Simulator = simulator;
    }

    /// <summary>The one nats-server, or the cluster's first node.</summary>
    public NatsServer Nats { get; }

    /// <summary>The nats-server cluster when <see cref="PipelineOptions.NatsNodes"/> is more than 1.</summary>
    public NatsCluster? Cluster { get; }

    /// <summary>What the services' <c>nats.url</c> says: the server, or every node of the cluster.</summary>
    public string NatsUrl => Cluster?.Url ?? Nats.Url;

    public SimulatorProcess Simulator { get; }

    public PipelineService Ingestor { get; private set; } = null!;

    public IReadOnlyList<PipelineService> Parsers { get; private set; } = [];

    public IReadOnlyList<PipelineService> Edges { get; private set; } = [];

    public string Directory => _directory.FullName;

    public static async Task<Pipeline> StartAsync(PipelineOptions options, CancellationToken cancellationToken)
    {
        var directory = System.IO.Directory.CreateTempSubdirectory("certstream-e2e-");
        var cluster = options.NatsNodes > 1 ? await NatsCluster.StartAsync(options.NatsNodes) : null;
        var nats = cluster?.Nodes[0] ?? await NatsServer.StartAsync();
        SimulatorProcess? simulator = null;
        try
        {
            simulator = await SimulatorProcess.StartAsync(options.Simulator, directory.FullName, cancellationToken);
        }
        catch
        {
            if (cluster is not null) await cluster.DisposeAsync();
            else await nats.DisposeAsync();
            directory.Delete(recursive: true);
            throw;
        }
        var pipeline = new Pipeline(directory, nats, cluster, simulator);
        try
        {
            pipeline.Create(options);
            if (!options.StartServices) return pipeline;
            // In parallel: each is a dotnet start-up of about a second. Edges must be ready (subscribed) before
            // clients connect; a parser may wait for CT_RAW, which the ingestor creates, so it is awaited later.
            await Task.WhenAll(pipeline.Parsers.Select(s => s.StartAsync(waitReady: false, cancellationToken))
                .Concat(pipeline.Edges.Select(s => s.StartAsync(waitReady: true, cancellationToken))));
            return pipeline;
        }
        catch
        {
            await pipeline.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts the ingestor and waits for its /readyz and then every parser's: entries begin to flow.</summary>
    public async Task StartIngestorAsync(CancellationToken cancellationToken)
    {
        await Ingestor.StartAsync(waitReady: true, cancellationToken);
        await Task.WhenAll(Parsers.Select(p => p.WaitReadyAsync(cancellationToken)));
    }

    /// <summary>The last lines of every process and the JetStream state of CT_RAW and its consumers, for a failure message.</summary>
    public string Diagnostics(int lines = 30) =>
        string.Join('\n', _services.Where(s => s.Process is not null).Select(s => s.Tail(lines)).Prepend(Simulator.Process.Tail(10)).Append(JetStreamState()).Concat(Edges.Select(EdgeStats)));

    private static string EdgeStats(PipelineService edge)
    {
        try
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            return $"--- {edge.Name} /stats: " + http.GetStringAsync(edge.HttpUri("/stats")).GetAwaiter().GetResult();
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return $"--- {edge.Name} /stats: {e.Message}";
        }
    }

    private string JetStreamState()
    {
        try
        {
            using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
            var monitor = (Cluster?.Nodes.FirstOrDefault(n => n.IsRunning) ?? Nats).MonitorPort;
            var json = http.GetStringAsync(new Uri($"http://127.0.0.1:{monitor}/jsz?consumers=true")).GetAwaiter().GetResult();
            using var doc = System.Text.Json.JsonDocument.Parse(json);
            var text = new System.Text.StringBuilder("--- nats-server /jsz:\n");
            foreach (var account in doc.RootElement.TryGetProperty("account_details", out var a) ? a.EnumerateArray() : default)
            {
                foreach (var stream in account.TryGetProperty("stream_detail", out var d) ? d.EnumerateArray() : default)
                {
                    text.Append("stream ").Append(stream.GetProperty("name")).Append(' ').Append(stream.GetProperty("state")).Append('\n');
                    foreach (var consumer in stream.TryGetProperty("consumer_detail", out var c) ? c.EnumerateArray() : default)
                    {
                        text.Append("  consumer ").Append(consumer.GetProperty("name"))
                            .Append(" delivered ").Append(consumer.GetProperty("delivered"))
                            .Append(" ack_floor ").Append(consumer.GetProperty("ack_floor"))
                            .Append(" num_ack_pending ").Append(consumer.GetProperty("num_ack_pending"))
                            .Append(" num_redelivered ").Append(consumer.GetProperty("num_redelivered"))
                            .Append(" num_waiting ").Append(consumer.GetProperty("num_waiting"))
                            .Append(" num_pending ").Append(consumer.GetProperty("num_pending")).Append('\n');
                    }
                }
            }
            return text.ToString();
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or System.Text.Json.JsonException or InvalidOperationException)
        {
            return $"--- nats-server /jsz: {e.Message}";
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var service in _services) service.Dispose();
        Simulator.Dispose();
        if (Cluster is not null) await Cluster.DisposeAsync();
        else await Nats.DisposeAsync();
        try { _directory.Delete(recursive: true); }
        catch (IOException) { }
    }

    private void Create(PipelineOptions options)
    {
        PipelineService Service(string name, string dll, Func<int, (int Ingestor, int Parser, int Edge)> ports)
        {
            var port = FreePort.Next();
            var (ingestor, parser, edge) = ports(port);
            var config = ServiceConfig.Write(Directory, name, NatsUrl, Simulator.LogListUrl, options, ingestor, parser, edge);
            var service = new PipelineService(name, dll, config, port, Directory, options.Log);
            _services.Add(service);
            return service;
        }

        // Every file names all three ports; each service listens only on its own.
        Ingestor = Service("ingestor", options.Binaries.Ingestor, p => (p, FreePort.Next(), FreePort.Next()));
        Parsers = [.. Enumerable.Range(0, options.Parsers).Select(i => Service($"parser-{i}", options.Binaries.Parser, p => (FreePort.Next(), p, FreePort.Next())))];
        Edges = [.. Enumerable.Range(0, options.Edges).Select(i => Service($"edge-{i}", options.Binaries.Edge, p => (FreePort.Next(), FreePort.Next(), p)))];
    }
}
