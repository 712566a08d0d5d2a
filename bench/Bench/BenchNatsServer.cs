using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Certstream.Bench;

/// <summary>
/// A nats-server the benchmark starts itself on a free port of 127.0.0.1, with JetStream on a temporary store when
/// asked. Dispose kills exactly that process and removes the store.
/// </summary>
internal sealed class BenchNatsServer : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(10);

    private readonly Process _process;
    private readonly string? _store;

    private BenchNatsServer(Process process, int port, string? store)
    {
        _process = process;
        Port = port;
        _store = store;
    }

    public int Port { get; }

    public string Url => $"nats://127.0.0.1:{Port}";

    /// <summary>CPU the server process has used so far.</summary>
    public TimeSpan CpuTime => ProcessCpu.Of(_process);

    /// <summary>Starts the server and returns once it accepts connections.</summary>
    public static async Task<BenchNatsServer> StartAsync(bool jetStream, CancellationToken cancellationToken)
    {
        var port = Certstream.TestSupport.FreePort.Next();
        var args = new List<string> { "-a", "127.0.0.1", "-p", port.ToString(CultureInfo.InvariantCulture) };
        string? store = null;
        if (jetStream)
        {
            store = Path.Combine(Path.GetTempPath(), "certstream-bench-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(store);
            args.Insert(0, "-js");
            args.AddRange(["-sd", store]);
        }
        var start = new ProcessStartInfo(Binary()) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var arg in args) start.ArgumentList.Add(arg);
        var process = Process.Start(start) ?? throw new InvalidOperationException("nats-server did not start");
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        var server = new BenchNatsServer(process, port, store);
        try
        {
            await server.WaitAcceptingAsync(cancellationToken);
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync(CancellationToken.None);
        _process.Dispose();
        if (_store is null) return;
        try { Directory.Delete(_store, recursive: true); }
        catch (IOException) { }
    }

    // $NATS_SERVER_BIN, else Debian's /usr/sbin, else PATH.
    private static string Binary() =>
        Environment.GetEnvironmentVariable("NATS_SERVER_BIN") is { Length: > 0 } binary ? binary
            : File.Exists("/usr/sbin/nats-server") ? "/usr/sbin/nats-server" : "nats-server";

    private async Task WaitAcceptingAsync(CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using var tcp = new TcpClient();
                await tcp.ConnectAsync(IPAddress.Loopback, Port, cancellationToken);
                return;
            }
            catch (SocketException) when (deadline.Elapsed < StartTimeout && !_process.HasExited)
            {
                await Task.Delay(20, cancellationToken); // polling a starting process: nothing to await on
            }
        }
    }
}
