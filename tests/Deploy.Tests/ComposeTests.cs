using System.Text.RegularExpressions;
using Certstream.Deploy.Tests.Support;
using Certstream.Hosting.Configuration;
using YamlDotNet.RepresentationModel;

namespace Certstream.Deploy.Tests;

/// <summary>docker-compose.yml read as Compose would, checked against the config model, the entrypoint and the repository.</summary>
public sealed partial class ComposeTests
{
    private static readonly string[] CoreServices = ["nats", "ingestor", "parser", "edge"];
    private static readonly string[] RestartPolicies = ["always", "unless-stopped", "on-failure"];

    private static readonly YamlMappingNode Compose = Yaml.LoadFile(Repo.ComposeFile);
    private static readonly Dictionary<string, string> DemoEnv = EnvFile.Read(Repo.DemoEnvFile);
    private static readonly Dictionary<string, string> ClusterEnv = EnvFile.Read(Repo.Path("docker", "cluster.env"));
    private static readonly Dictionary<string, string> DemoClusterEnv = EnvFile.Read(Repo.Path("docker", "demo-cluster.env"));

    private static IEnumerable<(string Name, YamlNode Service)> Services => Compose.Map("services").Entries();

    private static YamlMappingNode Service(string name) => Compose.Map("services").Map(name);

    private static List<string> Command(string service) => [.. Service(service).Texts("command")];

    private static List<string> HealthTest(string service) => [.. Service(service).Map("healthcheck").Texts("test")];

    private static readonly Dictionary<string, string> NoVariables = [];

    /// <summary>A value as Compose reads it with no variables set (every <c>${VAR:-default}</c> at its default).</summary>
    private static string Defaulted(string? text) => ComposeInterpolation.Apply(text ?? "", NoVariables);

    private static string? Image(YamlNode service) => service.Text("image") is { } image ? Defaulted(image) : null;

    private static List<string> Ports(string service) => [.. Service(service).Texts("ports").Select(Defaulted)];

    /// <summary>A service's CERTSTREAM_* variables after interpolation from <paramref name="shell"/> (defaults when absent).</summary>
    private static Dictionary<string, string> Environment(string service, IReadOnlyDictionary<string, string> shell) =>
        Service(service).Get("environment").Entries()
            .Where(e => e.Key.StartsWith("CERTSTREAM_", StringComparison.Ordinal))
            .ToDictionary(e => e.Key, e => ComposeInterpolation.Apply(((YamlScalarNode)e.Value).Value ?? "", shell), StringComparer.Ordinal);

    /// <summary>What a service runs with: the image's config.yaml (the Dockerfile copies the repository's) plus its variables.</summary>
    private static CertstreamConfig EffectiveConfig(string service, IReadOnlyDictionary<string, string>? shell = null) =>
        ConfigLoader.Parse(Repo.Text("config.yaml"), "config.yaml", Environment(service, shell ?? new Dictionary<string, string>()));

    [Fact]
    public void Compose_runs_nats_an_ingestor_two_parsers_and_the_edge_on_port_8080()
    {
        foreach (var name in CoreServices)
        {
            Assert.NotNull(Compose.Map("services").Get(name));
            Assert.Null(Service(name).Get("profiles"));
        }
        Assert.Equal("2", Service("parser").Map("deploy").Text("replicas"));
        Assert.Contains("8080:8080", Ports("edge"));
        // EDGE_PORT moves the published port only; the edge keeps listening on 8080 inside.
        Assert.Equal(["9000:8080"], Service("edge").Texts("ports").Select(p => ComposeInterpolation.Apply(p, new Dictionary<string, string> { ["EDGE_PORT"] = "9000" })));
        Assert.Equal(8080, EffectiveConfig("edge").Webserver.ListenPort);
    }

    [Fact]
    public void Every_service_has_a_health_check_and_a_restart_policy()
    {
        foreach (var (name, service) in Services)
        {
            var test = service.Get("healthcheck")?.Texts("test").ToList() ?? [];
            Assert.True(test.Count >= 2 && test[0] is "CMD" or "CMD-SHELL", $"{name}: no health check command");
            Assert.True(RestartPolicies.Contains(service.Text("restart")), $"{name}: restart is '{service.Text("restart")}'");
        }
    }

    /// <summary>
    /// The first node's nats-server arguments: its entrypoint is <c>sh -c "exec nats-server … $NATS_CLUSTER"</c>, so that
    /// docker/cluster.env can add the cluster's; with <paramref name="shell"/> those are added as the shell would split them.
    /// </summary>
    private static List<string> NatsArguments(Dictionary<string, string>? shell = null)
    {
        var entrypoint = Service("nats").Texts("entrypoint").ToList();
        Assert.Equal(["/bin/sh", "-c"], entrypoint.Take(2));
        var words = entrypoint[2].Split(' ', StringSplitOptions.RemoveEmptyEntries).ToList();
        Assert.Equal(["exec", "nats-server"], words.Take(2));
        Assert.Equal("$$NATS_CLUSTER", words[^1]);
        Assert.Equal("${NATS_CLUSTER:-}", Service("nats").Map("environment").Text("NATS_CLUSTER"));
        var cluster = shell is not null && shell.TryGetValue("NATS_CLUSTER", out var value) ? value.Split(' ', StringSplitOptions.RemoveEmptyEntries) : [];
        return [.. words.Skip(2).SkipLast(1), .. cluster];
    }

    [Fact]
    public void Nats_runs_JetStream_with_its_store_on_a_named_volume()
    {
        var command = NatsArguments();
        Assert.Contains("-js", command);
        var storeDir = command[command.IndexOf("-sd") + 1];
        var mount = Assert.Single(Service("nats").Texts("volumes"), v => v.EndsWith(":" + storeDir, StringComparison.Ordinal));
        var volume = mount[..mount.IndexOf(':', StringComparison.Ordinal)];
        Assert.NotNull(Compose.Map("volumes").Get(volume));
        // The health check asks the monitoring port the command opens.
        Assert.Contains(HealthTest("nats"), t => t.Contains(":" + command[command.IndexOf("-m") + 1] + "/healthz", StringComparison.Ordinal));
    }

    [Fact]
    public void The_services_wait_for_a_healthy_nats_and_reach_it_by_its_service_name()
    {
        foreach (var name in new[] { "ingestor", "parser", "edge" })
        {
            Assert.Equal("service_healthy", Service(name).Map("depends_on").Map("nats").Text("condition"));
            Assert.Equal(["nats://nats:4222"], EffectiveConfig(name).Nats.Servers);
        }
    }

    [Fact]
    public void Every_CERTSTREAM_variable_of_compose_and_the_demo_env_file_is_a_config_key_that_accepts_its_value()
    {
        var checkedCount = 0;
        foreach (var shell in new[] { new Dictionary<string, string>(), DemoEnv, ClusterEnv, DemoClusterEnv })
        {
            foreach (var (name, _) in Services)
            {
                foreach (var (variable, value) in Environment(name, shell))
                {
                    Assert.Null(CertstreamVariables.Problem(variable, value));
                    checkedCount++;
                }
            }
        }
        foreach (var (variable, value) in DemoEnv.Where(e => e.Key.StartsWith("CERTSTREAM_", StringComparison.Ordinal)))
        {
            Assert.Null(CertstreamVariables.Problem(variable, value));
            checkedCount++;
        }
        Assert.True(checkedCount >= 10, $"only {checkedCount} variables found: is the compose file read?");
    }

    [Fact]
    public void Health_checks_and_published_ports_use_the_ports_the_services_listen_on()
    {
        Assert.Equal(["CMD", "/app/entrypoint.sh", "healthcheck", EffectiveConfig("ingestor").Ingestor.MetricsPort.ToString(), "/readyz"], HealthTest("ingestor"));
        Assert.Equal(["CMD", "/app/entrypoint.sh", "healthcheck", EffectiveConfig("parser").Parser.MetricsPort.ToString(), "/readyz"], HealthTest("parser"));
        var edgePort = EffectiveConfig("edge").Webserver.ListenPort.ToString();
        Assert.Equal(["CMD", "/app/entrypoint.sh", "healthcheck", edgePort, "/readyz"], HealthTest("edge"));
        Assert.All(Ports("edge"), p => Assert.EndsWith(":" + edgePort, p));
    }

    [Fact]
    public void Every_command_compose_runs_in_our_image_is_a_service_of_the_entrypoint()
    {
        var entrypointServices = EntrypointCases().Matches(Repo.Text("docker", "entrypoint.sh")).Select(m => m.Groups["name"].Value).ToHashSet();
        var ours = Services.Where(s => Image(s.Service)?.StartsWith("certstream-nats", StringComparison.Ordinal) == true).ToList();
        Assert.Equal(["ingestor", "parser", "edge", "ctlog-sim"], ours.Select(s => s.Name));
        foreach (var (name, service) in ours)
        {
            var command = service.Texts("command").First();
            Assert.Contains(command, entrypointServices);
            var test = service.Map("healthcheck").Texts("test").ToList();
            Assert.Equal("/app/entrypoint.sh", test[1]);
            Assert.Contains(test[2], entrypointServices);
        }
        // The compose service is named after the command it runs, so Prometheus targets and DNS names read the same.
        Assert.All(ours, s => Assert.Equal(s.Name, s.Service.Texts("command").First()));
    }

    [Fact]
    public void The_demo_profile_swaps_the_live_logs_for_the_simulator()
    {
        Assert.Equal(["demo"], Service("ctlog-sim").Texts("profiles"));
        Assert.Contains("demo", DemoEnv["COMPOSE_PROFILES"].Split(','));

        // The ingestor's log list comes from the simulator's service name and --port.
        var sim = Command("ctlog-sim");
        var simPort = sim[sim.IndexOf("--port") + 1];
        var ingestor = EffectiveConfig("ingestor", DemoEnv);
        Assert.Equal($"http://ctlog-sim:{simPort}/log_list.json", ingestor.General.LogListUrl);
        Assert.Equal(StartPosition.At(0), ingestor.General.StartAt);
        Assert.Equal(["CMD", "/app/entrypoint.sh", "healthcheck", simPort, "/log_list.json"], HealthTest("ctlog-sim"));
        // The log list must name URLs other containers reach, not the address the simulator binds.
        var command = Command("ctlog-sim").ToList();
        Assert.Equal($"http://ctlog-sim:{simPort}", command[command.IndexOf("--public-url") + 1]);

        // Without the env file the ingestor follows Chrome's list from the log's head (docs/ingest.md).
        var live = EffectiveConfig("ingestor");
        Assert.Equal(new GeneralOptions().LogListUrl, live.General.LogListUrl);
        Assert.True(live.General.StartAt.IsHead);
    }

    [Fact]
    public void The_cluster_profile_runs_three_routed_nats_nodes_and_the_services_use_all_of_them_with_three_replicas()
    {
        Assert.Equal(["cluster"], Service("nats-2").Texts("profiles"));
        Assert.Equal(["cluster"], Service("nats-3").Texts("profiles"));
        foreach (var env in new[] { ClusterEnv, DemoClusterEnv })
        {
            Assert.Contains("cluster", env["COMPOSE_PROFILES"].Split(','));
            // Each node: JetStream, its own store on its own volume, a distinct name, one cluster, routes to the other two.
            var nodes = new Dictionary<string, List<string>>
            {
                ["nats"] = NatsArguments(env),
                ["nats-2"] = Command("nats-2"),
                ["nats-3"] = Command("nats-3"),
            };
            var names = new HashSet<string>();
            var volumes = new HashSet<string>();
            foreach (var (service, args) in nodes)
            {
                Assert.Contains("-js", args);
                Assert.Equal("certstream", args[args.IndexOf("--cluster_name") + 1]);
                Assert.True(names.Add(args[args.IndexOf("--name") + 1]), $"{service}: a server name twice");
                var store = args[args.IndexOf("-sd") + 1];
                var volume = Assert.Single(Service(service).Texts("volumes"), v => v.EndsWith(":" + store, StringComparison.Ordinal));
                Assert.True(volumes.Add(volume[..volume.IndexOf(':', StringComparison.Ordinal)]), $"{service}: a volume twice");
                var port = new Uri(args[args.IndexOf("--cluster") + 1]).Port;
                var routes = args[args.IndexOf("--routes") + 1].Split(',').Select(r => new Uri(r)).ToList();
                Assert.Equal(nodes.Keys.Where(k => k != service).Order(), routes.Select(r => r.Host).Order());
                Assert.All(routes, r => Assert.Equal(port, r.Port));
            }
            foreach (var name in new[] { "ingestor", "parser", "edge" })
            {
                var config = EffectiveConfig(name, env);
                Assert.Equal(["nats://nats:4222", "nats://nats-2:4222", "nats://nats-3:4222"], config.Nats.Servers);
                Assert.Equal(3, config.Nats.Replicas);
            }
        }
        // Without it: one node, one replica.
        Assert.Equal(1, EffectiveConfig("parser").Nats.Replicas);
        Assert.DoesNotContain("--routes", NatsArguments());
    }

    [Fact]
    public void The_simulator_is_given_only_flags_it_knows()
    {
        // The flags the simulator's command line really parses (its switch cases), read from its source.
        var source = File.ReadAllText(Repo.Path("tools", "ctlog-sim", "SimCommandLine.cs"));
        var known = Regex.Matches(source, "case \"(--[a-z0-9-]+)\"").Select(m => m.Groups[1].Value).ToList();
        Assert.Contains("--public-url", known);
        var flags = Command("ctlog-sim").Where(a => a.StartsWith("--", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(flags);
        Assert.All(flags, f => Assert.Contains(f, known));
    }

    [Fact]
    public void The_monitoring_profile_runs_Prometheus_and_Grafana()
    {
        Assert.Equal(["monitoring"], Service("prometheus").Texts("profiles"));
        Assert.Equal(["monitoring"], Service("grafana").Texts("profiles"));
        Assert.Contains("9090:9090", Service("prometheus").Texts("ports"));
        Assert.Contains("3000:3000", Service("grafana").Texts("ports"));
    }

    [Fact]
    public void Every_file_compose_mounts_or_builds_from_exists_in_the_repository()
    {
        var mounts = Services.SelectMany(s => s.Service.Texts("volumes")).Where(v => v.StartsWith("./", StringComparison.Ordinal)).ToList();
        Assert.True(mounts.Count >= 3, "expected the Prometheus config and Grafana's provisioning and dashboards");
        foreach (var mount in mounts)
        {
            var source = mount[2..mount.IndexOf(':', StringComparison.Ordinal)];
            Assert.True(File.Exists(Repo.Path(source)) || Directory.Exists(Repo.Path(source)), $"{mount}: {source} is not in the repository");
        }
        Assert.All(Services.Where(s => s.Service.Get("build") is not null), s => Assert.Equal(".", s.Service.Map("build").Text("context")));
        Assert.True(File.Exists(Repo.Path("Dockerfile")));
    }

    [Fact]
    public void The_images_are_variables_whose_defaults_are_the_official_ones_and_the_Dockerfiles_own()
    {
        Assert.Equal("nats:2.9-alpine", Image(Service("nats")));
        Assert.Equal("${NATS_IMAGE:-nats:2.9-alpine}", Service("nats").Text("image"));
        // The base images compose passes to the build default to the Dockerfile's own ARG defaults.
        var dockerfileArgs = DockerfileArg().Matches(Repo.Text("Dockerfile")).ToDictionary(m => m.Groups["name"].Value, m => m.Groups["value"].Value);
        foreach (var (name, service) in Services.Where(s => s.Service.Get("build") is not null))
        {
            Assert.Equal("${CERTSTREAM_IMAGE:-certstream-nats:latest}", service.Text("image"));
            var args = service.Map("build").Get("args").Entries().ToDictionary(e => e.Key, e => Defaulted(((YamlScalarNode)e.Value).Value));
            Assert.Equal(dockerfileArgs.OrderBy(a => a.Key), args.OrderBy(a => a.Key));
        }
        Assert.Equal(["mcr.microsoft.com/dotnet/runtime-deps:10.0", "mcr.microsoft.com/dotnet/sdk:10.0"], dockerfileArgs.Values.Order());
    }

    [GeneratedRegex(@"^\s{2}(?<name>[a-z][a-z-]*)\)", RegexOptions.Multiline)]
    private static partial Regex EntrypointCases();

    [GeneratedRegex(@"^ARG\s+(?<name>[A-Z_]+)=(?<value>\S+)", RegexOptions.Multiline)]
    private static partial Regex DockerfileArg();
}
