using System.Diagnostics;
using System.Reflection;
using Certstream.TestSupport;

namespace Certstream.Hosting.Tests;

/// <summary>
/// A built service binary (<c>dotnet Certstream.Edge.dll …</c>) run as a child process, with its output
/// lines collected and awaitable. Dispose kills exactly this process if it is still running.
/// </summary>
internal sealed class ServiceProcess : IDisposable
{
    private readonly Process _process;
    private readonly List<string> _stdout = [];
    private readonly List<string> _stderr = [];
    private readonly List<(Func<string, bool> Match, TaskCompletionSource<string> Seen)> _waiters = [];

    private ServiceProcess(Process process) => _process = process;

    /// <summary>The edge's dll as built beside this test assembly (same configuration and framework).</summary>
    public static string EdgeDll
    {
        get
        {
            var metadata = typeof(ServiceProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().ToDictionary(a => a.Key, a => a.Value);
            return Path.Combine(RepoPaths.Root, "services", "edge", "bin", metadata["Configuration"]!, metadata["TargetFramework"]!, "Certstream.Edge.dll");
        }
    }

    public int Id => _process.Id;

    public IReadOnlyList<string> StandardOutput { get { lock (_stdout) return [.. _stdout]; } }

    public IReadOnlyList<string> StandardError { get { lock (_stdout) return [.. _stderr]; } }

    public static ServiceProcess Start(string workingDirectory, params string[] args) => Start(workingDirectory, new Dictionary<string, string>(), args);

    public static ServiceProcess Start(string workingDirectory, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var psi = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(EdgeDll);
        foreach (var arg in args) psi.ArgumentList.Add(arg);
        // The test's own CERTSTREAM_* settings must not leak into the service under test.
        foreach (var name in psi.Environment.Keys.Where(k => k.StartsWith("CERTSTREAM_", StringComparison.Ordinal)).ToList())
            psi.Environment.Remove(name);
        foreach (var (name, value) in environment) psi.Environment[name] = value;

        var process = new Process { StartInfo = psi, EnableRaisingEvents = true };
        var service = new ServiceProcess(process);
        process.OutputDataReceived += (_, e) => service.OnLine(service._stdout, e.Data);
        process.ErrorDataReceived += (_, e) => service.OnLine(service._stderr, e.Data);
        process.Exited += (_, _) => service.OnExited();
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return service;
    }

    /// <summary>Completes with the first stdout line matching <paramref name="match"/>, already seen or yet to come.</summary>
    public Task<string> WaitForLineAsync(Func<string, bool> match, CancellationToken cancellationToken)
    {
        var seen = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_stdout)
        {
            var existing = _stdout.FirstOrDefault(match);
            if (existing is not null) return Task.FromResult(existing);
            _waiters.Add((match, seen));
        }
        return seen.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Waits for the exit event; returns the exit code once all output has been read.</summary>
    public async Task<int> WaitForExitAsync(CancellationToken cancellationToken)
    {
        await _process.WaitForExitAsync(cancellationToken);
        return _process.ExitCode;
    }

    public void Terminate()
    {
        // SIGTERM, as an orchestrator sends it; Process.Kill would send SIGKILL.
        using var kill = Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        kill.WaitForExit();
        Assert.Equal(0, kill.ExitCode);
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

    // A line that will never come: fail its waiters at once instead of at their timeout.
    private void OnExited()
    {
        List<TaskCompletionSource<string>> pending;
        lock (_stdout)
        {
            pending = [.. _waiters.Select(w => w.Seen)];
            _waiters.Clear();
        }
        var error = new InvalidOperationException($"the service exited ({_process.ExitCode}); stderr: {string.Join(" | ", StandardError)}");
        foreach (var seen in pending) seen.TrySetException(error);
    }

    private void OnLine(List<string> lines, string? line)
    {
        if (line is null) return;
        var matched = new List<TaskCompletionSource<string>>();
        lock (_stdout)
        {
            lines.Add(line);
            if (ReferenceEquals(lines, _stdout))
            {
                foreach (var waiter in _waiters.Where(w => w.Match(line)).ToList())
                {
                    _waiters.Remove(waiter);
                    matched.Add(waiter.Seen);
                }
            }
        }
        foreach (var seen in matched) seen.TrySetResult(line);
    }
}
