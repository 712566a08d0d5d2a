using System.Globalization;
using System.Text.Json;

namespace Certstream.EndToEnd.Tests.Harness;

/// <summary>Reads an edge's /stats (README "WebSocket and HTTP API") and /metrics, and a process's open descriptors.</summary>
internal static class EdgeProbe
{
    /// <summary>/stats clients.total.</summary>
    public static async Task<long> ClientsAsync(PipelineService edge, CancellationToken cancellationToken)
    {
        using var stats = await StatsAsync(edge, cancellationToken);
        return stats.RootElement.GetProperty("clients").GetProperty("total").GetInt64();
    }

    public static async Task<JsonDocument> StatsAsync(PipelineService edge, CancellationToken cancellationToken) =>
        JsonDocument.Parse(await edge.GetStringAsync("/stats", cancellationToken));

    /// <summary>The value of an unlabelled Prometheus sample (e.g. process_resident_memory_bytes).</summary>
    public static async Task<double> MetricAsync(PipelineService service, string name, CancellationToken cancellationToken)
    {
        var text = await service.GetStringAsync("/metrics", cancellationToken);
        var line = text.Split('\n').FirstOrDefault(l => l.StartsWith(name + " ", StringComparison.Ordinal))
            ?? throw new InvalidOperationException($"{service.Name}: no sample {name} in /metrics");
        return double.Parse(line[(name.Length + 1)..].Trim(), CultureInfo.InvariantCulture);
    }

    /// <summary>The sum of a metric's samples whose labels contain <paramref name="labelMatch"/> (e.g. <c>result="ok"</c>).</summary>
    public static async Task<double> MetricSumAsync(PipelineService service, string name, string labelMatch, CancellationToken cancellationToken)
    {
        var text = await service.GetStringAsync("/metrics", cancellationToken);
        return text.Split('\n')
            .Where(l => l.StartsWith(name + "{", StringComparison.Ordinal) && l.Contains(labelMatch, StringComparison.Ordinal))
            .Sum(l => double.Parse(l[(l.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture));
    }

    /// <summary>Open file descriptors of a process (sockets included), from /proc.</summary>
    public static int OpenDescriptors(int pid) => System.IO.Directory.GetFileSystemEntries($"/proc/{pid}/fd").Length;

    /// <summary>Bounded polling until <paramref name="condition"/> holds; returns the last value for the message.</summary>
    public static async Task<T> EventuallyAsync<T>(Func<Task<T>> read, Func<T, bool> condition, TimeSpan timeout, string what, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var value = await read();
            if (condition(value)) return value;
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"{what}: still {value} after {timeout}");
            await Task.Delay(200, cancellationToken); // bounded polling interval
        }
    }
}
