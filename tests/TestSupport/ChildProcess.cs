using System.Diagnostics;
using System.Globalization;

namespace Certstream.TestSupport;

/// <summary>
/// One child process (a service dll under <c>dotnet</c>, a node client, a script) with the tail of its output kept
/// and awaitable. Stop with SIGTERM, crash with SIGKILL; Dispose kills exactly this process (and what it started)
/// if it still runs.
/// </summary>
public sealed class ChildProcess : IDisposable
{
    /// <summary>What <see cref="Lines"/> puts before a line the process wrote to stderr.</summary>
    public const string StderrPrefix = "stderr: ";

    private const int KeptLines = 4000;
    private readonly Process _process;
    private readonly Queue<(bool IsError, string Text)> _output = new();
    private readonly List<(Func<string, bool> Match, TaskCompletionSource<string> Seen)> _waiters = [];
    private readonly Action<string>? _onLine;
    private readonly TaskCompletionSource<int> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _streamsOpen = 2;
    private int _dropped;

    private ChildProcess(string name, Process process, Action<string>? onLine)
    {
        Name = name;
        _process = process;
        _onLine = onLine;
    }

    /// <summary>A short name for failure messages ("parser-1", "edge-0", "node lite").</summary>
    public string Name { get; }

    public int Id { get; private set; }

    /// <summary>True once the process has exited and all of its output has been read.</summary>
    public bool HasExited => _exited.Task.IsCompleted;

    /// <summary>The exit code once exited, else null.</summary>
    public int? ExitCode => _exited.Task.IsCompletedSuccessfully ? _exited.Task.Result : null;

    /// <summary>The child's stdin, to write input and close it.</summary>
    public StreamWriter StandardInput => _process.StandardInput;

    /// <summary>The dotnet host running this test (so a service runs on the same runtime).</summary>
    public static string DotnetHost => Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host ? host : "dotnet";

    /// <summary>
    /// Runs a built program of <see cref="ServiceBinaries"/>: <c>dotnet &lt;dll&gt; args…</c> for an assembly, the
    /// executable itself for a Native AOT one.
    /// </summary>
    public static ChildProcess StartService(string name, string binary, IEnumerable<string> args, string? workingDirectory = null,
        IReadOnlyDictionary<string, string>? environment = null, Action<string>? onLine = null)
    {
        var isDll = binary.EndsWith(".dll", StringComparison.Ordinal);
        if (!File.Exists(binary))
            throw new FileNotFoundException($"{name}: not built: {binary}{(isDll ? "" : " (make aot publishes it)")}", binary);
        return isDll
            ? Start(name, DotnetHost, [binary, .. args], workingDirectory, environment, onLine)
            : Start(name, binary, args, workingDirectory, environment, onLine);
    }

    /// <summary>
    /// Starts <paramref name="fileName"/> (in the current directory when <paramref name="workingDirectory"/> is null).
    /// The test's own CERTSTREAM_* settings never leak into the child (strict config: a stray variable would change or
    /// stop it); <paramref name="environment"/> is added after. <paramref name="onLine"/> sees every line as
    /// <see cref="Lines"/> holds it.
    /// </summary>
    public static ChildProcess Start(string name, string fileName, IEnumerable<string> args, string? workingDirectory = null,
        IReadOnlyDictionary<string, string>? environment = null, Action<string>? onLine = null)
    {
        var psi = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory ?? "",
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var arg in args) psi.ArgumentList.Add(arg);
        foreach (var key in psi.Environment.Keys.Where(k => k.StartsWith("CERTSTREAM_", StringComparison.Ordinal)).ToList())
            psi.Environment.Remove(key);
        if (environment is not null)
        {
            foreach (var (key, value) in environment) psi.Environment[key] = value;
        }

        var process = new Process { StartInfo = psi, EnableRaisingEvents = true };
        var child = new ChildProcess(name, process, onLine);
        process.OutputDataReceived += (_, e) => child.OnLine(e.Data, isError: false);
        process.ErrorDataReceived += (_, e) => child.OnLine(e.Data, isError: true);
        process.Start();
        child.Id = process.Id;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    /// <summary>The last lines the process wrote to either stream, in arrival order (stderr lines prefixed <see cref="StderrPrefix"/>).</summary>
    public IReadOnlyList<string> Lines
    {
        get { lock (_output) return [.. _output.Select(Merged)]; }
    }

    /// <summary>The last lines written to stdout.</summary>
    public IReadOnlyList<string> StandardOutput
    {
        get { lock (_output) return [.. _output.Where(l => !l.IsError).Select(l => l.Text)]; }
    }

    /// <summary>The last lines written to stderr.</summary>
    public IReadOnlyList<string> StandardError
    {
        get { lock (_output) return [.. _output.Where(l => l.IsError).Select(l => l.Text)]; }
    }

    /// <summary>How many of the first lines are no longer kept (only the last 4,000 are).</summary>
    public int DroppedLines
    {
        get { lock (_output) return _dropped; }
    }

    /// <summary><see cref="Lines"/> as one text, for searching and failure messages.</summary>
    public string Output => string.Join('\n', Lines);

    /// <summary>The last <paramref name="count"/> lines, for a failure message.</summary>
    public string Tail(int count = 40)
    {
        var lines = Lines;
        var state = HasExited ? $"exited {ExitCode}" : "running";
        return $"--- {Name} (pid {Id}, {state}), last {Math.Min(count, lines.Count)} of {lines.Count} lines:\n"
            + string.Join('\n', lines.Skip(Math.Max(0, lines.Count - count)).Select(l => l.Length > 400 ? l[..400] + " …" : l));
    }

    /// <summary>
    /// The first line of <see cref="Lines"/> matching <paramref name="match"/>, already written or yet to come;
    /// fails at once if the process exits first.
    /// </summary>
    public async Task<string> WaitForLineAsync(Func<string, bool> match, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var seen = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_output)
        {
            var existing = _output.Select(Merged).FirstOrDefault(match);
            if (existing is not null) return existing;
            if (HasExited) throw new InvalidOperationException($"{Name} exited before the awaited line\n{Tail()}");
            _waiters.Add((match, seen));
        }
        try
        {
            return await seen.Task.WaitAsync(timeout, cancellationToken);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"{Name}: awaited line not seen within {timeout}\n{Tail()}");
        }
    }

    /// <summary>The exit code, once the process and its output streams are done.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        try
        {
            return await _exited.Task.WaitAsync(timeout, cancellationToken);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"{Name} did not exit within {timeout}\n{Tail()}");
        }
    }

    /// <summary>SIGTERM, as an orchestrator, docker stop or Ctrl-C in a script would stop it.</summary>
    public void Terminate() => Signal("TERM");

    /// <summary>SIGTERM, then the exit code once the process is done.</summary>
    public Task<int> TerminateAsync(TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        Terminate();
        return WaitForExitAsync(timeout, cancellationToken);
    }

    /// <summary>SIGKILL, as a crash would; waits until the process is gone.</summary>
    public void Kill() => Kill(entireProcessTree: false);

    /// <summary>SIGKILL to the process and, with <paramref name="entireProcessTree"/>, everything it started (a script's children).</summary>
    public void Kill(bool entireProcessTree)
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree);
                _process.WaitForExit();
            }
            // Gone now, even if the last output lines are still being read.
            _exited.TrySetResult(_process.ExitCode);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    /// <summary>Sends <paramref name="signal"/> (a name for kill(1): TERM, INT, …) to this process; fails if it still runs and kill did not work.</summary>
    public void Signal(string signal)
    {
        if (HasExited) return;
        var exitCode = Signals.Send(Id, signal);
        if (exitCode != 0 && !_process.HasExited)
            throw new InvalidOperationException($"kill -{signal} {Id} exited {exitCode}");
    }

    /// <summary>Kills the process and its descendants if still running: a failed test leaves no orphans.</summary>
    public void Dispose()
    {
        Kill(entireProcessTree: true);
        _process.Dispose();
    }

    private static string Merged((bool IsError, string Text) line) => line.IsError ? StderrPrefix + line.Text : line.Text;

    private void OnLine(string? text, bool isError)
    {
        if (text is null)
        {
            // Both streams closed: the exit code is final and every line has been seen.
            if (Interlocked.Decrement(ref _streamsOpen) == 0) _ = CompleteExitAsync();
            return;
        }
        var line = Merged((isError, text));
        _onLine?.Invoke(line);
        var matched = new List<TaskCompletionSource<string>>();
        lock (_output)
        {
            _output.Enqueue((isError, text));
            if (_output.Count > KeptLines)
            {
                _output.Dequeue();
                _dropped++;
            }
            foreach (var waiter in _waiters.Where(w => w.Match(line)).ToList())
            {
                _waiters.Remove(waiter);
                matched.Add(waiter.Seen);
            }
        }
        foreach (var seen in matched) seen.TrySetResult(line);
    }

    private async Task CompleteExitAsync()
    {
        await _process.WaitForExitAsync();
        List<TaskCompletionSource<string>> pending;
        lock (_output)
        {
            pending = [.. _waiters.Select(w => w.Seen)];
            _waiters.Clear();
        }
        _exited.TrySetResult(_process.ExitCode);
        var error = new InvalidOperationException($"{Name} exited ({_process.ExitCode}) before the awaited line\n{Tail()}");
        foreach (var seen in pending) seen.TrySetException(error);
    }
}
