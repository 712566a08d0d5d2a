using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Certstream.TestSupport;

namespace Certstream.Containers.Tests;

/// <summary>
/// The scripts behind `make compose-demo` meet bad input with one clear line and leave no container behind: an engine
/// whose socket is there but which does not answer, a published port already taken, an image that cannot be built.
/// </summary>
public sealed class ContainerScriptTests
{
    private static readonly TimeSpan ScriptTimeout = TimeSpan.FromMinutes(3);

    [Fact]
    public async Task A_dead_engine_socket_is_one_line_from_the_engine_script_and_from_compose()
    {
        // A socket file with nothing listening on it: what a crashed daemon leaves behind.
        var path = Path.Combine(Path.GetTempPath(), $"dead-engine-{Environment.ProcessId}-{Guid.NewGuid():N}.sock");
        using (var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified))
            socket.Bind(new UnixDomainSocketEndPoint(path));
        try
        {
            var environment = new Dictionary<string, string> { ["DOCKER_HOST"] = $"unix://{path}" };

            var engine = await RunScriptAsync("container-engine.sh", [], environment);
            Assert.Equal(1, engine.ExitCode);
            var line = Assert.Single(engine.Stderr);
            Assert.Equal($"container-engine: DOCKER_HOST=unix://{path} does not answer (is the engine running? unset DOCKER_HOST to let this script start podman)", line);
            Assert.Empty(engine.Stdout);

            var compose = await RunScriptAsync("compose.sh", ["up"], environment);
            Assert.Equal(1, compose.ExitCode);
            Assert.Contains("does not answer", Assert.Single(compose.Stderr));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [ContainerFact]
    public async Task Compose_demo_serves_certificates_on_its_port_and_compose_down_leaves_nothing()
    {
        var project = Project();
        var port = FreePort.Next();
        var environment = new Dictionary<string, string> { ["EDGE_PORT"] = port.ToString(), ["COMPOSE_PROJECT_NAME"] = project };
        try
        {
            var up = await RunScriptAsync("compose.sh", ["up"], environment);
            Assert.True(up.ExitCode == 0, $"compose.sh up failed:\n{string.Join('\n', up.Stderr)}");
            var url = $"ws://127.0.0.1:{port}/";
            Assert.StartsWith($"edge: {url}  ", Assert.Single(up.Stdout));
            // NATS, the simulator, the ingestor, two parsers (deploy.replicas) and the edge.
            Assert.Equal(6, (await ComposeResourcesAsync("ps", project)).Count);

            using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            using var client = await LiteClient.ConnectAsync(new Uri(url), cts.Token);
            await client.WaitForCountAsync(10, cts.Token);
        }
        finally
        {
            var down = await RunScriptAsync("compose.sh", ["down"], environment);
            Assert.True(down.ExitCode == 0, $"compose.sh down failed:\n{string.Join('\n', down.Stderr)}");
        }
        Assert.Empty(await ComposeResourcesAsync("ps", project));
        Assert.Empty(await ComposeResourcesAsync("volume", project));
    }

    [ContainerFact]
    public async Task Compose_cluster_runs_the_demo_on_three_nats_nodes_and_goes_on_when_one_is_killed()
    {
        var project = Project();
        var port = FreePort.Next();
        var environment = new Dictionary<string, string>
        {
            ["EDGE_PORT"] = port.ToString(),
            ["COMPOSE_PROJECT_NAME"] = project,
            ["COMPOSE_ENV_FILE"] = "docker/demo-cluster.env",
        };
        try
        {
            var up = await RunScriptAsync("compose.sh", ["up"], environment);
            Assert.True(up.ExitCode == 0, $"compose.sh up failed:\n{string.Join('\n', up.Stderr)}");
            // Three NATS nodes, the simulator, the ingestor, two parsers and the edge.
            var containers = await ComposeResourcesAsync("ps", project);
            Assert.Equal(8, containers.Count);

            using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(3));
            using var client = await LiteClient.ConnectAsync(new Uri($"ws://127.0.0.1:{port}/"), cts.Token);
            await client.WaitForCountAsync(10, cts.Token);
            // SIGKILL one node: with three replicas the others go on, and so does the stream.
            var node = Assert.Single(containers, c => c.Contains("nats-2", StringComparison.Ordinal));
            Assert.Equal(0, await DockerAsync("kill", node));
            var count = client.Count;
            await client.WaitForCountAsync(count + 20, cts.Token);
        }
        finally
        {
            var down = await RunScriptAsync("compose.sh", ["down"], environment);
            Assert.True(down.ExitCode == 0, $"compose.sh down failed:\n{string.Join('\n', down.Stderr)}");
        }
        Assert.Empty(await ComposeResourcesAsync("ps", project));
        Assert.Empty(await ComposeResourcesAsync("volume", project));
    }

    [ContainerFact]
    public async Task Compose_up_on_a_taken_port_is_one_line_and_starts_nothing()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;
        var project = Project();

        var result = await RunScriptAsync("compose.sh", ["up"],
            new Dictionary<string, string> { ["EDGE_PORT"] = port.ToString(), ["COMPOSE_PROJECT_NAME"] = project });

        Assert.Equal(1, result.ExitCode);
        Assert.Equal($"compose: port {port} is taken on this machine; choose another with EDGE_PORT=<port> make compose-demo", result.Stderr[^1]);
        Assert.Empty(result.Stdout);
        Assert.Empty(await ComposeResourcesAsync("ps", project));
    }

    [ContainerFact]
    public async Task An_image_that_cannot_be_built_is_one_line()
    {
        // An invalid image name: the build itself fails, after the base images were found.
        var result = await RunScriptAsync("container-images.sh", [], new Dictionary<string, string> { ["CERTSTREAM_IMAGE"] = "certstream-nats:not a tag" });

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("container-images: building certstream-nats:not a tag failed (log: ", result.Stderr[^1]);
        Assert.Empty(result.Stdout);
    }

    private sealed record ScriptResult(int ExitCode, IReadOnlyList<string> Stdout, IReadOnlyList<string> Stderr);

    private static async Task<ScriptResult> RunScriptAsync(string script, IEnumerable<string> args, IReadOnlyDictionary<string, string> environment)
    {
        using var process = ChildProcess.Start(script, "bash", [Path.Combine(RepoPaths.Root, "scripts", script), .. args],
            RepoPaths.Root, environment);
        var exitCode = await process.WaitForExitAsync(ScriptTimeout);
        return new ScriptResult(exitCode, process.StandardOutput, process.StandardError);
    }

    private static async Task<int> DockerAsync(params string[] args)
    {
        using var docker = Process.Start(new ProcessStartInfo("docker", args) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        await docker.WaitForExitAsync();
        return docker.ExitCode;
    }

    /// <summary>A compose project of this test's own (`make compose-demo` uses "certstream").</summary>
    private static string Project() => $"certstream-test-{Guid.NewGuid().ToString("N")[..8]}";

    /// <summary>The containers (<c>ps</c>) or volumes (<c>volume</c>) of a compose project.</summary>
    private static async Task<IReadOnlyList<string>> ComposeResourcesAsync(string kind, string project)
    {
        string[] list = kind == "ps" ? ["ps", "-a", "--format", "{{.Names}}"] : ["volume", "ls", "--format", "{{.Name}}"];
        var start = new ProcessStartInfo("docker", [.. list, "--filter", $"label=com.docker.compose.project={project}"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var docker = Process.Start(start)!;
        var output = await docker.StandardOutput.ReadToEndAsync();
        await docker.WaitForExitAsync();
        Assert.True(docker.ExitCode == 0, $"docker ps failed: {await docker.StandardError.ReadToEndAsync()}");
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
    }
}
