using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using Certstream.TestSupport;

namespace Certstream.Ingestor.Tests.Support;

/// <summary>
/// The built ingestor (<c>dotnet Certstream.Ingestor.dll -c &lt;config&gt;</c>) as a child process with a temporary config
/// file. <see cref="Kill"/> is SIGKILL, as a crash; dispose kills exactly this process if it still runs and removes the file.
/// </summary>
internal sealed class IngestorProcess : IDisposable
{
    private readonly Process _process;
    private readonly List<string> _output = [];

    private IngestorProcess(Process process, int metricsPort)
    {
        _process = process;
        MetricsPort = metricsPort;
    }

    public int MetricsPort { get; }

    public string Output
    {
        get { lock (_output) return string.Join('\n', _output); }
    }

    public bool HasExited => _process.HasExited;

    /// <summary>The ingestor's dll as built beside this test assembly (same configuration and framework).</summary>
    public static string Dll
    {
        get
        {
            var metadata = typeof(IngestorProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().ToDictionary(a => a.Key, a => a.Value);
            return Path.Combine(RepoPaths.Root, "services", "ingestor", "bin", metadata["Configuration"]!, metadata["TargetFramework"]!, "Certstream.Ingestor.dll");
        }
    }

    /// <summary>A config following one RFC 6962 log from index 0, publishing to <paramref name="natsUrl"/>.</summary>
    public static string Config(string natsUrl, string logUrl, int metricsPort) => string.Create(CultureInfo.InvariantCulture, $"""
        nats:
          url: "{natsUrl}"
        general:
          disable_default_logs: true
          additional_logs:
            - url: "{logUrl}"
              operator: "Test operator"
              description: "Test log"
          start_at: 0
        ingestor:
          parallel_fetch: 2
          sth_poll_interval: 200ms
          metrics_port: {metricsPort}
        """);

    public static IngestorProcess Start(string configPath, int metricsPort)
    {
        var psi = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { Dll, "-c", configPath }) psi.ArgumentList.Add(arg);
        foreach (var name in psi.Environment.Keys.Where(k => k.StartsWith("CERTSTREAM_", StringComparison.Ordinal)).ToList())
            psi.Environment.Remove(name);
        var process = new Process { StartInfo = psi };
        var started = new IngestorProcess(process, metricsPort);
        process.OutputDataReceived += (_, e) => started.OnLine(e.Data);
        process.ErrorDataReceived += (_, e) => started.OnLine(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return started;
    }

    /// <summary>GET /readyz: its status code, or null while nothing listens yet.</summary>
    public async Task<int?> ReadyzAsync(HttpClient http)
    {
        try
        {
            using var response = await http.GetAsync(new Uri($"http://127.0.0.1:{MetricsPort}/readyz"));
            return (int)response.StatusCode;
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }

    /// <summary>Polls /readyz (bounded) until it answers <paramref name="status"/>.</summary>
    public async Task WaitForReadyzAsync(HttpClient http, int status, TimeSpan patience)
    {
        var deadline = DateTime.UtcNow + patience;
        int? last = null;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited) throw new InvalidOperationException($"the ingestor exited ({_process.ExitCode}):\n{Output}");
            last = await ReadyzAsync(http);
            if (last == status) return;
            await Task.Delay(100);
        }
        throw new TimeoutException($"/readyz answered {last?.ToString(CultureInfo.InvariantCulture) ?? "nothing"}, not {status}, within {patience}:\n{Output}");
    }

    /// <summary>SIGTERM, as an orchestrator stops a container; returns the exit code.</summary>
    public async Task<int> TerminateAsync(TimeSpan patience)
    {
        using (var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]))
            await kill.WaitForExitAsync();
        using var timeout = new CancellationTokenSource(patience);
        await _process.WaitForExitAsync(timeout.Token);
        return _process.ExitCode;
    }

    /// <summary>SIGKILL: no shutdown code runs.</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited) Kill();
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        _process.Dispose();
    }

    private void OnLine(string? line)
    {
        if (line is null) return;
        lock (_output) _output.Add(line);
    }
}
