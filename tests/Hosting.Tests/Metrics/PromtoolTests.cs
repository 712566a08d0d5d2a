using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Certstream.Hosting.Tests.Metrics;

/// <summary>The exposition checked by the reference implementation's own linter and parser.</summary>
public sealed class PromtoolTests
{
    private static KeyValuePair<string, object?> Tag(string key, object? value) => new(key, value);

    [Fact]
    public async Task Promtool_accepts_the_full_exposition()
    {
        using var scope = new MetricsScope(processMetrics: true);
        var meter = scope.Meter;
        var tricky = Tag("path", "C:\\dir\\\"q\"\nline2 日本語 ✓ \uD800");

        var counter = meter.CreateCounter<long>("certstream.edge.messages_sent", description: "Messages sent.\nSecond line with \\ backslash \"quotes\".");
        counter.Add(3, Tag("stream", "full"), tricky);
        counter.Add(1, Tag("stream", "lite"));
        meter.CreateCounter<double>("certstream.edge.sent", unit: "By", description: "Bytes sent.").Add(12.5, Tag("statusCode", 200));
        meter.CreateUpDownCounter<int>("certstream.edge.clients", unit: "{client}").Add(-4, Tag("http.route", "/full-stream"));
        meter.CreateGauge<double>("certstream.edge.load", unit: "%").Record(double.NaN, Tag("k", "nan"));
        meter.CreateGauge<double>("certstream.edge.load", unit: "%").Record(double.PositiveInfinity, Tag("k", "inf"));
        meter.CreateObservableCounter("certstream.ingest.cpu", () => 1.25, unit: "s");
        meter.CreateObservableUpDownCounter("certstream.parser.inFlight", () => 7L);
        meter.CreateObservableGauge("certstream.ingest.lag", () => new Measurement<double>(-1e-9, tricky));
        var histogram = meter.CreateHistogram<double>("certstream.parse.duration", unit: "s", description: "Parse time.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.001, 0.01, 0.1] });
        histogram.Record(0.005, tricky);
        histogram.Record(0.5, tricky);
        histogram.Record(0.05);
        meter.CreateHistogram<int>("certstream.batch.size").Record(300, Tag("le", "x"));
        meter.CreateCounter<int>("certstream.overflowed").Add(1, Tag("quantile", "0.5"));

        var exposition = scope.Scrape();
        foreach (var family in new[] { "process_cpu_seconds_total", "process_resident_memory_bytes", "process_virtual_memory_bytes",
                     "process_start_time_seconds", "process_open_fds", "dotnet_gc_collections_total", "dotnet_gc_heap_size_bytes",
                     "certstream_edge_messages_sent_total", "certstream_parse_duration_seconds", "certstream_ingest_cpu_seconds_total" })
            Assert.Contains($"# TYPE {family} ", exposition, StringComparison.Ordinal);

        var (exitCode, output) = await RunPromtoolAsync(exposition);
        Assert.True(exitCode == 0 && output.Length == 0,
            $"promtool check metrics exited {exitCode} with:\n{output}\nfor this exposition:\n{exposition}");
    }

    [Fact]
    public async Task Promtool_rejects_a_broken_exposition()
    {
        // Proves the check above can fail: promtool must complain about what the exposition never produces.
        var (exitCode, output) = await RunPromtoolAsync("# HELP x_milliseconds x\n# TYPE x_milliseconds counter\nx_milliseconds{a=\"1\"} 1\n");
        Assert.NotEqual(0, exitCode);
        Assert.NotEmpty(output);
    }

    private static async Task<(int ExitCode, string Output)> RunPromtoolAsync(string exposition)
    {
        var promtool = FindOnPath("promtool") ?? throw new InvalidOperationException(
            "promtool not found on PATH; it checks the exposition format. Install it with `sudo apt-get install -y prometheus` " +
            "(Debian package `prometheus`), or run scripts/deps.sh.");
        var start = new ProcessStartInfo(promtool, ["check", "metrics"])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start) ?? throw new InvalidOperationException("promtool did not start");
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.StandardInput.WriteAsync(exposition.AsMemory(), timeout.Token);
        process.StandardInput.Close();
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill();
            throw new TimeoutException("promtool check metrics did not finish in 30 s");
        }
        return (process.ExitCode, ((await stdout) + (await stderr)).Trim());
    }

    private static string? FindOnPath(string binary) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, binary))
            .FirstOrDefault(File.Exists);
}
