using System.Diagnostics;
using System.Globalization;
using Certstream.EndToEnd.Tests.Harness;

namespace Certstream.Bench;

/// <summary>
/// The built ingestor (<c>dotnet Certstream.Ingestor.dll -c &lt;config&gt;</c>) as a child process of the bench, so its CPU and
/// memory can be read apart from the bench's own (the synthetic log server). Its output is drained and the last lines kept
/// for failure messages. Dispose kills exactly this process if it still runs.
/// </summary>
internal sealed class IngestorChild : IDisposable
{
    private const int KeptLines = 200;
    private readonly Process _process;
    private readonly Queue<string> _lines = new();

    private IngestorChild(Process process) => _process = process;

    public bool HasExited => _process.HasExited;

    /// <summary>CPU time (all threads) since the process started, runtime start-up included.</summary>
    public TimeSpan Cpu => ProcessCpu.Of(_process);

    /// <summary>Peak resident set size so far (VmHWM of /proc/&lt;pid&gt;/status), in KiB.</summary>
    public long PeakRssKb
    {
        get
        {
            foreach (var line in File.ReadLines($"/proc/{_process.Id.ToString(CultureInfo.InvariantCulture)}/status"))
            {
                if (!line.StartsWith("VmHWM:", StringComparison.Ordinal)) continue;
                var value = line["VmHWM:".Length..].Trim();
                return long.Parse(value[..value.IndexOf(' ', StringComparison.Ordinal)], CultureInfo.InvariantCulture);
            }
            throw new InvalidOperationException("no VmHWM in /proc/<pid>/status");
        }
    }

    public static IngestorChild Start(string configPath)
    {
        var dll = ServiceBinaries.Ingestor;
        if (!File.Exists(dll)) throw new FileNotFoundException("the ingestor is not built: " + dll, dll);
        var psi = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { dll, "-c", configPath }) psi.ArgumentList.Add(arg);
        // Strict config: a stray CERTSTREAM_* variable of the caller would change or stop the child.
        foreach (var name in psi.Environment.Keys.Where(k => k.StartsWith("CERTSTREAM_", StringComparison.Ordinal)).ToList())
            psi.Environment.Remove(name);
        var child = new IngestorChild(new Process { StartInfo = psi });
        child._process.OutputDataReceived += (_, e) => child.Keep(e.Data);
        child._process.ErrorDataReceived += (_, e) => child.Keep(e.Data);
        child._process.Start();
        child._process.BeginOutputReadLine();
        child._process.BeginErrorReadLine();
        return child;
    }

    /// <summary>SIGTERM, then waits up to <paramref name="patience"/>: the exit code, or null if it had to be killed.</summary>
    public async Task<int?> StopAsync(TimeSpan patience)
    {
        if (!_process.HasExited)
        {
            using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]);
            await kill.WaitForExitAsync();
        }
        using var timeout = new CancellationTokenSource(patience);
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
            return _process.ExitCode;
        }
        catch (OperationCanceledException)
        {
            _process.Kill();
            await _process.WaitForExitAsync();
            return null;
        }
    }

    /// <summary>The last output lines, for a failure message.</summary>
    public string Tail()
    {
        lock (_lines) return $"--- ingestor (pid {_process.Id}), last {_lines.Count} lines:\n" + string.Join('\n', _lines);
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited) _process.Kill();
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        _process.Dispose();
    }

    private void Keep(string? line)
    {
        if (line is null) return;
        lock (_lines)
        {
            _lines.Enqueue(line);
            if (_lines.Count > KeptLines) _lines.Dequeue();
        }
    }
}
