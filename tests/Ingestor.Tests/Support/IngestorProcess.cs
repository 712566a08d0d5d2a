using System.Globalization;
using Certstream.TestSupport;

namespace Certstream.Ingestor.Tests.Support;

/// <summary>
/// The built ingestor (<c>dotnet Certstream.Ingestor.dll -c &lt;config&gt;</c>) as a child process, and its /readyz.
/// <see cref="ChildProcess.Kill()"/> is SIGKILL, as a crash; dispose kills exactly this process if it still runs.
/// </summary>
internal sealed class IngestorProcess(ChildProcess process, string configPath, int metricsPort) : IDisposable
{
    public ChildProcess Process { get; } = process;

    public string ConfigPath { get; } = configPath;

    public int MetricsPort { get; } = metricsPort;

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

    public static IngestorProcess Start(string configPath, int metricsPort) =>
        new(ChildProcess.StartService("ingestor", ServiceBinaries.Ingestor, ["-c", configPath]), configPath, metricsPort);

    /// <summary>A new process with the same config and metrics port, as a restart after a crash.</summary>
    public IngestorProcess StartAgain() => Start(ConfigPath, MetricsPort);

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
            if (Process.HasExited) throw new InvalidOperationException($"the ingestor exited before /readyz answered {status}\n{Process.Tail()}");
            last = await ReadyzAsync(http);
            if (last == status) return;
            await Task.Delay(100); // readiness probe interval
        }
        throw new TimeoutException($"/readyz answered {last?.ToString(CultureInfo.InvariantCulture) ?? "nothing"}, not {status}, within {patience}\n{Process.Tail()}");
    }

    public void Dispose() => Process.Dispose();
}
