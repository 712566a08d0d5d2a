using System.Globalization;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Certstream.EndToEnd.Tests.Harness;
using Certstream.TestSupport;
using Xunit.Abstractions;

namespace Certstream.EndToEnd.Tests;

/// <summary>
/// Issue [6]: <c>make demo</c> and <c>make run</c> (scripts/run.sh) for real, on free ports, with the binaries
/// this test run built (RUN_SKIP_BUILD, RUN_CONFIGURATION) and logs in a temporary RUN_DIR.
/// </summary>
public sealed partial class RunScriptTests(ITestOutputHelper output) : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("certstream-run-");

    public void Dispose() => _dir.Delete(recursive: true);

    [Fact]
    public async Task Make_demo_prints_the_websocket_urls_streams_certificates_and_stops_everything_on_sigterm()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var ct = cts.Token;
        using var script = StartScript(["--demo"], DemoEnvironment());
        var descendants = new List<int>();
        try
        {
            var line = await script.WaitForLineAsync(l => l.Contains("WebSocket streams: ", StringComparison.Ordinal), TimeSpan.FromSeconds(90), ct);
            var urls = WebSocketUrl().Matches(line).Select(m => new Uri(m.Value)).ToList();
            Assert.Equal(3, urls.Count);
            Assert.Equal(["/", "/full-stream", "/domains-only"], urls.Select(u => u.AbsolutePath));

            using var socket = new ClientWebSocket();
            await socket.ConnectAsync(urls[0], ct);
            var message = await ReceiveCertificateAsync(socket, TimeSpan.FromSeconds(60), ct);
            output.WriteLine(message[..Math.Min(300, message.Length)]);
            using (var doc = JsonDocument.Parse(message))
            {
                var source = doc.RootElement.GetProperty("data").GetProperty("source").GetProperty("url").GetString()!;
                Assert.StartsWith($"http://127.0.0.1:", source, StringComparison.Ordinal); // the simulator, not a live log
            }
            socket.Abort();
        }
        catch (Exception e) when (e is TimeoutException or InvalidOperationException or WebSocketException)
        {
            // Let the script stop its children before failing; Dispose kills whatever is left.
            script.Terminate();
            await script.WaitForExitAsync(TimeSpan.FromSeconds(60), CancellationToken.None).ContinueWith(_ => { }, TaskScheduler.Default);
            Assert.Fail($"{e.Message}\n{script.Tail(60)}\n{RunLogs()}");
        }
        descendants.AddRange(ProcessTree.Descendants(script.Id));
        output.WriteLine($"children: {string.Join(", ", descendants.Select(p => $"{p} {ProcessTree.CommandLine(p)}"))}");
        script.Terminate();

        var exitCode = await script.WaitForExitAsync(TimeSpan.FromSeconds(60), ct);
        Assert.Equal(143, exitCode); // 128 + SIGTERM, after stopping everything
        Assert.Contains(script.Lines, l => l.EndsWith("run: stopped", StringComparison.Ordinal));
        Assert.True(descendants.Count >= 5, $"expected nats-server, the simulator and three services under the script, saw {descendants.Count}");
        var orphans = descendants.Where(ProcessTree.IsAlive).ToList();
        Assert.True(orphans.Count == 0, $"left running: {string.Join(", ", orphans.Select(p => $"{p} {ProcessTree.CommandLine(p)}"))}");
    }

    [Fact]
    public async Task Run_with_a_broken_config_exits_2_with_the_services_message_before_starting_anything()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        var config = Path.Combine(_dir.FullName, "broken.yaml");
        await File.WriteAllTextAsync(config, "webserver:\n  listen_addr: 127.0.0.1\n  listen_prot: 9000\n", cts.Token);
        var environment = new Dictionary<string, string>(DemoEnvironment()) { ["CONFIG"] = config };
        using var script = StartScript([], environment);

        Assert.Equal(2, await script.WaitForExitAsync(TimeSpan.FromSeconds(45), cts.Token));
        Assert.Contains(script.Lines, l => l == "stderr: broken.yaml:3: webserver.listen_prot: unknown key (did you mean listen_port?)"
            || l.EndsWith("webserver.listen_prot: unknown key (did you mean listen_port?)", StringComparison.Ordinal));
        Assert.DoesNotContain(script.Lines, l => l.Contains("nats-server on", StringComparison.Ordinal) || l.Contains(" started", StringComparison.Ordinal));
        Assert.False(File.Exists(Path.Combine(_dir.FullName, "run", "nats-server.log")), "nats-server was started");
    }

    [Fact]
    public async Task Make_run_and_make_demo_call_the_run_script()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        foreach (var (target, expected) in new[] { ("run", "bash scripts/run.sh"), ("demo", "bash scripts/run.sh --demo") })
        {
            using var make = ChildProcess.Start("make -n " + target, "make", ["-n", target, "CONFIG=some.yaml"], RepoPaths.Root);
            Assert.Equal(0, await make.WaitForExitAsync(TimeSpan.FromSeconds(20), cts.Token));
            Assert.Contains(make.Lines, l => l.Contains("CONFIG=some.yaml", StringComparison.Ordinal) && l.TrimEnd().EndsWith(expected, StringComparison.Ordinal));
        }
    }

    private static ChildProcess StartScript(string[] args, IReadOnlyDictionary<string, string> environment) =>
        ChildProcess.Start("run.sh " + string.Join(' ', args), "bash", [Path.Combine(RepoPaths.Root, "scripts", "run.sh"), .. args],
            RepoPaths.Root, environment);

    /// <summary>Every port free, logs and the JetStream store in the test's folder, no rebuild.</summary>
    private Dictionary<string, string> DemoEnvironment() => new()
    {
        ["RUN_DIR"] = Path.Combine(_dir.FullName, "run"),
        ["RUN_SKIP_BUILD"] = "1",
        ["RUN_CONFIGURATION"] = ServiceBinaries.Configuration,
        ["RUN_BUILD"] = ServiceBinaries.Default.Name,
        ["NATS_PORT"] = Port(),
        ["NATS_MONITOR_PORT"] = Port(),
        ["SIM_PORT"] = Port(),
        ["CERTSTREAM_WEBSERVER_LISTEN_PORT"] = Port(),
        ["CERTSTREAM_INGESTOR_METRICS_PORT"] = Port(),
        ["CERTSTREAM_PARSER_METRICS_PORT"] = Port(),
    };

    private static string Port() => FreePort.Next().ToString(CultureInfo.InvariantCulture);

    private string RunLogs()
    {
        var dir = Path.Combine(_dir.FullName, "run");
        if (!Directory.Exists(dir)) return "";
        return string.Join('\n', Directory.GetFiles(dir, "*.log").Select(f =>
            $"--- {Path.GetFileName(f)}:\n{string.Join('\n', File.ReadLines(f).TakeLast(15))}"));
    }

    private static async Task<string> ReceiveCertificateAsync(ClientWebSocket socket, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(timeout);
        var buffer = new byte[1 << 16];
        while (true)
        {
            using var message = new MemoryStream();
            WebSocketReceiveResult result;
            do
            {
                try
                {
                    result = await socket.ReceiveAsync(buffer, cts.Token);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    throw new TimeoutException($"no certificate_update within {timeout}");
                }
                message.Write(buffer, 0, result.Count);
            }
            while (!result.EndOfMessage);
            if (result.MessageType == WebSocketMessageType.Close) throw new InvalidOperationException($"closed: {result.CloseStatus}");
            var text = Encoding.UTF8.GetString(message.ToArray());
            if (text.Contains("\"message_type\":\"certificate_update\"", StringComparison.Ordinal)) return text;
        }
    }

    [GeneratedRegex(@"ws://127\.0\.0\.1:\d+/[a-z-]*")]
    private static partial Regex WebSocketUrl();
}
