using System.Diagnostics;

namespace Certstream.TestSupport;

/// <summary>
/// A real nats-server process with JetStream, on a free port and a temporary store directory.
/// It can be killed (SIGKILL) and started again on the same port and store, for crash tests.
/// Dispose kills exactly the process it started and removes the store.
/// </summary>
public sealed class NatsServer : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(20);
    private readonly string[] _extraArgs;
    private Process? _process;
    private System.Text.StringBuilder? _log;

    private NatsServer(int port, int monitorPort, string storeDir, string[] extraArgs)
    {
        Port = port;
        MonitorPort = monitorPort;
        StoreDir = storeDir;
        _extraArgs = extraArgs;
    }

    public int Port { get; }
    public int MonitorPort { get; }
    public string StoreDir { get; }
    public string Url => $"nats://127.0.0.1:{Port}";
    public int? ProcessId => _process?.Id;
    public bool IsRunning => _process is { HasExited: false };

    /// <summary>What the current process has logged so far.</summary>
    public string Output => _log is { } log ? Snapshot(log) : "";

    /// <summary>nats-server's Go heap soft limit, as scripts/run.sh, docker-compose.yml and the Helm chart set it.</summary>
    public const string GoMemLimit = "96MiB";

    /// <summary>Path of the nats-server binary: $NATS_SERVER_BIN, else PATH, else Debian's /usr/sbin.</summary>
    public static string Binary
    {
        get
        {
            var fromEnv = Environment.GetEnvironmentVariable("NATS_SERVER_BIN");
            if (!string.IsNullOrEmpty(fromEnv)) return fromEnv;
            foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries).Append("/usr/sbin").Append("/usr/bin"))
            {
                var candidate = Path.Combine(dir, "nats-server");
                if (File.Exists(candidate)) return candidate;
            }
            throw new InvalidOperationException("nats-server not found: run `apt-get install -y nats-server` (or `bash .ci/run`), or set NATS_SERVER_BIN or NATS_URL");
        }
    }

    /// <summary>Starts a server. Extra arguments (e.g. "--user", "u", "--pass", "p", or "-c", file) are passed through.</summary>
    public static async Task<NatsServer> StartAsync(params string[] extraArgs)
    {
        var storeDir = Path.Combine(Path.GetTempPath(), "certstream-nats-test-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(storeDir);
        // A port checked free can still be bound by someone else before nats-server binds it: then new ports, a few times.
        for (var attempt = 1; ; attempt++)
        {
            var server = new NatsServer(FreePort.Next(), FreePort.Next(), storeDir, extraArgs);
            try
            {
                await server.StartAgainAsync().ConfigureAwait(false);
                return server;
            }
            catch (InvalidOperationException e) when (attempt < 3 && e.Message.Contains("address already in use", StringComparison.Ordinal))
            {
                server.Kill();
            }
        }
    }

    /// <summary>
    /// Starts the process (again) on the same port and store; returns once the server logs it is ready and, when
    /// <paramref name="waitHealthy"/>, /healthz says JetStream is too (a cluster node alone without quorum never is).
    /// </summary>
    public async Task StartAgainAsync(bool waitHealthy = true)
    {
        if (IsRunning) throw new InvalidOperationException("nats-server is already running");
        var psi = new ProcessStartInfo(Binary)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        // The soft memory limit every way of running the product gives nats-server (README "Memory"), unless set already.
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable("GOMEMLIMIT"))) psi.Environment["GOMEMLIMIT"] = GoMemLimit;
        foreach (var arg in new[] { "-js", "-a", "127.0.0.1", "-p", Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                     "-m", MonitorPort.ToString(System.Globalization.CultureInfo.InvariantCulture), "-sd", StoreDir }.Concat(_extraArgs))
            psi.ArgumentList.Add(arg);

        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var log = new System.Text.StringBuilder();
        _log = log;
        var process = new Process { StartInfo = psi, EnableRaisingEvents = true };
        void OnLine(object? _, DataReceivedEventArgs e)
        {
            if (e.Data is null) return;
            lock (log) log.AppendLine(e.Data);
            if (e.Data.Contains("Server is ready", StringComparison.Ordinal)) ready.TrySetResult();
        }
        process.ErrorDataReceived += OnLine;
        process.OutputDataReceived += OnLine;
        process.Exited += async (_, _) =>
        {
            // Lets the output readers finish, so the log holds the reason; awaited, so no pool thread blocks on it.
            try { await process.WaitForExitAsync().ConfigureAwait(false); }
            catch (InvalidOperationException) { } // disposed by Kill meanwhile
            ready.TrySetException(new InvalidOperationException($"nats-server exited early:\n{Snapshot(log)}"));
        };
        process.Start();
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        _process = process;

        using var timeout = new CancellationTokenSource(StartTimeout);
        try
        {
            await ready.Task.WaitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            Kill();
            throw new TimeoutException($"nats-server not ready within {StartTimeout}:\n{Snapshot(log)}");
        }
        if (waitHealthy) await WaitHealthyAsync(timeout.Token).ConfigureAwait(false);
    }

    /// <summary>Sends <paramref name="signal"/> (a name for kill(1): STOP freezes the server with its sockets open, CONT resumes it).</summary>
    public void Signal(string signal)
    {
        var pid = ProcessId ?? throw new InvalidOperationException("nats-server is not running");
        var exitCode = Signals.Send(pid, signal);
        if (exitCode != 0) throw new InvalidOperationException($"kill -{signal} {pid} exited {exitCode}");
    }

    /// <summary>
    /// SIGTERM, as an operator's stop: the server flushes its stores and exits (SIGKILL after <paramref name="grace"/>);
    /// waits until the process is gone.
    /// </summary>
    public async Task StopAsync(TimeSpan grace)
    {
        var process = _process ?? throw new InvalidOperationException("nats-server is not running");
        Signal("TERM");
        using var timeout = new CancellationTokenSource(grace);
        try
        {
            await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Did not stop in time.
        }
        Kill();
    }

    /// <summary>SIGKILL, as a crash would; waits until the process is gone.</summary>
    public void Kill()
    {
        var process = _process;
        if (process is null) return;
        try
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit();
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        process.Dispose();
        _process = null;
    }

    public async ValueTask DisposeAsync()
    {
        Kill();
        await Task.Yield();
        try { Directory.Delete(StoreDir, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    // The log line says the listener is up; /healthz confirms JetStream is ready too.
    private async Task WaitHealthyAsync(CancellationToken cancellationToken)
    {
        using var http = new HttpClient();
        var uri = new Uri($"http://127.0.0.1:{MonitorPort}/healthz");
        while (true)
        {
            using var response = await http.GetAsync(uri, cancellationToken).ConfigureAwait(false);
            if (response.IsSuccessStatusCode) return;
            // JetStream still recovering its store: a short back-off between probes of the monitor.
            await Task.Delay(50, cancellationToken).ConfigureAwait(false);
        }
    }

    private static string Snapshot(System.Text.StringBuilder log)
    {
        lock (log) return log.ToString();
    }
}
