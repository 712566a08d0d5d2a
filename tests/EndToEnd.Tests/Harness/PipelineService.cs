using System.Net;
using Certstream.TestSupport;

namespace Certstream.EndToEnd.Tests.Harness;

/// <summary>
/// One service of the pipeline (ingestor, a parser, an edge): its config file, its HTTP port (the edge's
/// web port, or the metrics port) and the current process, which can be crashed and started again.
/// </summary>
internal sealed class PipelineService : IDisposable
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(60);
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };
    private readonly string _binary;
    private readonly string _workingDirectory;
    private readonly Action<string>? _log;
    private readonly List<ChildProcess> _previous = [];

    internal PipelineService(string name, string binary, string configPath, int port, string workingDirectory, Action<string>? log)
    {
        Name = name;
        _binary = binary;
        ConfigPath = configPath;
        Port = port;
        _workingDirectory = workingDirectory;
        _log = log;
    }

    public string Name { get; }

    public string ConfigPath { get; }

    /// <summary>Where /healthz, /readyz and /metrics answer (for the edge, also the WebSockets).</summary>
    public int Port { get; }

    public Uri BaseUri => new($"http://127.0.0.1:{Port}/");

    public ChildProcess Process { get; private set; } = null!;

    /// <summary>How often <see cref="WaitReadyAsync"/> asks (a readiness probe's period; the bench's start-to-ready timing asks more often).</summary>
    public TimeSpan ReadyPollInterval { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>The ws:// URL of a path on this service (the edge's streams).</summary>
    public Uri WebSocketUri(string path) => new($"ws://127.0.0.1:{Port}{path}");

    public Uri HttpUri(string pathAndQuery) => new(BaseUri, pathAndQuery);

    /// <summary>Starts the process; with <paramref name="waitReady"/>, returns once its /readyz answers 200, else once /healthz does.</summary>
    public async Task StartAsync(bool waitReady, CancellationToken cancellationToken)
    {
        if (Process is { HasExited: false }) throw new InvalidOperationException($"{Name} is already running");
        if (Process is not null) _previous.Add(Process);
        var name = _previous.Count == 0 ? Name : $"{Name} (run {_previous.Count + 1})";
        Process = ChildProcess.StartService(name, _binary, ["-c", ConfigPath], _workingDirectory,
            onLine: _log is null ? null : line => _log($"[{name}] {line}"));
        if (waitReady) await WaitReadyAsync(cancellationToken);
        else await WaitAliveAsync(cancellationToken);
    }

    /// <summary>SIGKILL, as a crash would.</summary>
    public void Kill() => Process.Kill();

    /// <summary>Bounded polling of /readyz until 200; fails at once if the process exits.</summary>
    public Task WaitReadyAsync(CancellationToken cancellationToken) => WaitForAsync("/readyz", cancellationToken);

    /// <summary>Bounded polling of /healthz until 200: the process serves HTTP (ready or not).</summary>
    public Task WaitAliveAsync(CancellationToken cancellationToken) => WaitForAsync("/healthz", cancellationToken);

    private async Task WaitForAsync(string path, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + ReadyTimeout;
        var last = "no answer";
        while (DateTime.UtcNow < deadline)
        {
            if (Process.HasExited) throw new InvalidOperationException($"{Name} exited before it was ready\n{Process.Tail()}");
            var status = await StatusAsync(path, cancellationToken);
            if (status == HttpStatusCode.OK) return;
            last = status?.ToString() ?? "no answer";
            await Task.Delay(ReadyPollInterval, cancellationToken);
        }
        throw new TimeoutException($"{Name}: {path} not 200 within {ReadyTimeout} (last: {last})\n{Process.Tail()}");
    }

    /// <summary>The status of a GET, or null when nothing answers.</summary>
    public async Task<HttpStatusCode?> StatusAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await Http.GetAsync(HttpUri(path), cancellationToken);
            return response.StatusCode;
        }
        catch (HttpRequestException)
        {
            return null;
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }

    public async Task<string> GetStringAsync(string path, CancellationToken cancellationToken) =>
        await Http.GetStringAsync(HttpUri(path), cancellationToken);

    /// <summary>Failure context: the last lines of every run of this service.</summary>
    public string Tail(int count = 40) =>
        string.Join('\n', _previous.Append(Process).Where(p => p is not null).Select(p => p.Tail(count)));

    public void Dispose()
    {
        Process?.Dispose();
        foreach (var previous in _previous) previous.Dispose();
    }
}
