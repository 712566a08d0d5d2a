namespace Certstream.TestSupport;

/// <summary>
/// The node clients in tests/node (independent peers: the official NATS and MessagePack libraries, Calidog's
/// certstream client), run with <c>node</c> from that folder. They need <c>npm ci --prefix tests/node</c>.
/// </summary>
public static class NodeScripts
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(60);

    /// <summary>tests/node.</summary>
    public static string Directory => Path.Combine(RepoPaths.Root, "tests", "node");

    /// <summary>Fails, saying how to install it, unless <paramref name="package"/> (e.g. "@nats-io/jetstream") is installed.</summary>
    public static void RequirePackage(string package)
    {
        if (!System.IO.Directory.Exists(Path.Combine([Directory, "node_modules", .. package.Split('/')])))
            throw new InvalidOperationException($"{package} is not installed in tests/node: run `npm ci --prefix tests/node` (scripts/deps.sh does)");
    }

    /// <summary>Starts <paramref name="script"/> as a long-running child process.</summary>
    public static ChildProcess Start(string name, string script, IEnumerable<string> args, Action<string>? onLine = null) =>
        ChildProcess.Start(name, "node", [script, .. args], Directory, onLine: onLine);

    /// <summary>
    /// Runs <paramref name="script"/> to its end, with <paramref name="input"/> (if any) on stdin, and returns its stdout
    /// (lines joined by '\n'). Fails with its stderr if it exits non-zero or runs longer than a minute.
    /// </summary>
    public static async Task<string> RunAsync(string script, IEnumerable<string> args, byte[]? input = null, CancellationToken cancellationToken = default)
    {
        var argList = args.ToList();
        using var node = Start($"node {script} {string.Join(' ', argList)}", script, argList);
        if (input is not null) await node.StandardInput.BaseStream.WriteAsync(input, cancellationToken);
        node.StandardInput.Close();
        var exitCode = await node.WaitForExitAsync(RunTimeout, cancellationToken);
        if (exitCode != 0) throw new InvalidOperationException($"{node.Name} exited {exitCode}\n{node.Tail()}");
        if (node.DroppedLines > 0) throw new InvalidOperationException($"{node.Name} wrote more lines than a ChildProcess keeps");
        return string.Join('\n', node.StandardOutput);
    }
}
