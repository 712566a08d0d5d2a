using System.Diagnostics;
using System.Globalization;
using System.Text;
using Certstream.TestSupport;

namespace Certstream.Parser.Tests.Service;

/// <summary>The built parser run as a real process (<c>dotnet Certstream.Parser.dll …</c>), killed only by its own id.</summary>
internal sealed class ParserProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _log = new();

    private ParserProcess(Process process)
    {
        _process = process;
    }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public string Log
    {
        get { lock (_log) return _log.ToString(); }
    }

    /// <summary>The parser built beside this test project (the project reference builds it with the same configuration).</summary>
    public static string Assembly
    {
        get
        {
            var tfm = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd('/')).Name;
            var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd('/')).Parent!.Name;
            var built = Path.Combine(RepoPaths.Root, "services", "parser", "bin", configuration, tfm, "Certstream.Parser.dll");
            return File.Exists(built) ? built : Path.Combine(AppContext.BaseDirectory, "Certstream.Parser.dll");
        }
    }

    public static string DotnetHost => Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";

    public static ParserProcess Start(params string[] args) => Start(args, redirectInput: false);

    public static ParserProcess Start(string[] args, bool redirectInput)
    {
        var psi = new ProcessStartInfo(DotnetHost)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = redirectInput,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(Assembly);
        foreach (var arg in args)
            psi.ArgumentList.Add(arg);
        psi.Environment["CERTSTREAM_LOG_LEVEL"] = "information";
        var process = new Process { StartInfo = psi };
        var runner = new ParserProcess(process);
        process.OutputDataReceived += (_, e) => runner.Append(e.Data);
        process.ErrorDataReceived += (_, e) => runner.Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return runner;
    }

    /// <summary>Runs a service with a config file naming the NATS URL, the parser settings and a metrics port.</summary>
    public static ParserProcess StartService(string configPath) => Start("-c", configPath);

    public static string WriteConfig(string natsUrl, int concurrency, int fetchBatch, int metricsPort)
    {
        var path = Path.Combine(Path.GetTempPath(), "certstream-parser-test-" + Guid.NewGuid().ToString("N") + ".yaml");
        File.WriteAllText(path, string.Create(CultureInfo.InvariantCulture, $"""
            nats:
              url: "{natsUrl}"
            parser:
              concurrency: {concurrency}
              fetch_batch: {fetchBatch}
              metrics_port: {metricsPort}
            """));
        return path;
    }

    public StreamWriter StandardInput => _process.StandardInput;

    /// <summary>SIGKILL: a crash, nothing flushed.</summary>
    public void Kill()
    {
        _process.Kill(entireProcessTree: false);
        _process.WaitForExit();
    }

    /// <summary>SIGTERM, as Kubernetes or docker stop sends it.</summary>
    public void Terminate()
    {
        using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
        Assert.Equal(0, kill.ExitCode);
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"the parser did not exit within {timeout}:\n{Log}");
        }
        _process.WaitForExit(); // drains the redirected output
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: false);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
            return;
        lock (_log) _log.AppendLine(line);
    }
}
