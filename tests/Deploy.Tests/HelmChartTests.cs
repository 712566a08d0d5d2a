using System.Text.RegularExpressions;
using Certstream.Deploy.Tests.Support;
using Certstream.Hosting.Configuration;
using YamlDotNet.RepresentationModel;

namespace Certstream.Deploy.Tests;

/// <summary>helm/certstream checked without a Helm binary: its values against the config model, its templates against its values.</summary>
public sealed partial class HelmChartTests
{
    private static readonly HelmChart Chart = HelmChart.Load();

    /// <summary>config.yaml as the ConfigMap renders it: nats.url from the nats block, then values.config.</summary>
    private static string RenderedConfig(string natsUrl)
    {
        var root = new YamlMappingNode { { "nats", new YamlMappingNode { { "url", natsUrl } } } };
        foreach (var (key, value) in Chart.Value("config")!.Entries())
            root.Add(key, value);
        return Yaml.Serialize(root);
    }

    [Fact]
    public void Chart_yaml_describes_a_v2_application_chart()
    {
        Assert.Equal("v2", Chart.Chart.Text("apiVersion"));
        Assert.Equal("certstream", Chart.Chart.Text("name"));
        Assert.Equal("application", Chart.Chart.Text("type"));
        Assert.Matches(@"^\d+\.\d+\.\d+$", Chart.Chart.Text("version"));
        Assert.False(string.IsNullOrEmpty(Chart.Chart.Text("appVersion")));
    }

    [Fact]
    public void The_rendered_config_passes_strict_validation_with_bundled_or_external_NATS()
    {
        // The bundled server's address as certstream.natsUrl builds it, for a release named "rel".
        var helper = Chart.Defines["certstream.natsUrl"];
        Assert.Contains("nats://{{ include \"certstream.fullname\" . }}-nats:4222", helper, StringComparison.Ordinal);
        var bundled = ConfigLoader.Parse(RenderedConfig("nats://rel-certstream-nats:4222"), "configmap", new Dictionary<string, string>());
        var external = ConfigLoader.Parse(RenderedConfig("nats://nats-a.nats.svc:4222,nats://nats-b.nats.svc:4222"), "configmap", new Dictionary<string, string>());

        Assert.Equal(2, external.Nats.Servers.Count);
        Assert.Equal(bundled with { Nats = external.Nats }, external);
        // The values are the built-in defaults, apart from what the chart means to change.
        Assert.Equal(new CertstreamConfig() with { Nats = bundled.Nats }, bundled);
    }

    [Fact]
    public void The_config_values_leave_the_nats_section_to_the_configmap()
    {
        // A nats: key in values.config would be a duplicate key in the rendered file.
        Assert.Null(Chart.Value("config.nats"));
        var configmap = Chart.Templates["configmap.yaml"];
        Assert.Contains("url: {{ include \"certstream.natsUrl\" . | quote }}", configmap, StringComparison.Ordinal);
        Assert.Contains("toYaml .Values.config", configmap, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_values_path_a_template_reads_exists_in_values_yaml()
    {
        var paths = Chart.ValuePaths().ToList();
        Assert.True(paths.Count > 20, "the scan found too few .Values references");
        var missing = paths.Where(p => Chart.Value(p.Path) is null).Select(p => $"{p.File}: .Values.{p.Path}").Distinct().ToList();
        Assert.True(missing.Count == 0, "not in values.yaml: " + string.Join(", ", missing));
    }

    [Fact]
    public void Every_component_values_path_a_shared_template_reads_exists_for_each_component_using_it()
    {
        var uses = Chart.Templates.Values.SelectMany(HelmChart.ComponentIncludes).Where(u => Chart.Defines[u.Name].Contains("$values", StringComparison.Ordinal)).ToList();
        Assert.True(uses.Count >= 7, "expected 3 deployments, 2 HPAs and 2 PDBs through the shared templates");
        var missing = uses.SelectMany(u => Chart.ComponentValuePaths(u.Name).Select(p => $"{u.Component}.{p}"))
            .Where(p => Chart.Value(p) is null).Distinct().ToList();
        Assert.True(missing.Count == 0, "not in values.yaml: " + string.Join(", ", missing));
    }

    [Fact]
    public void The_chart_has_the_kinds_the_issue_lists()
    {
        var kinds = Chart.ManifestTemplates.SelectMany(Chart.KindsOf).GroupBy(k => k).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(3, kinds.GetValueOrDefault("Deployment"));
        Assert.Equal(2, kinds.GetValueOrDefault("HorizontalPodAutoscaler"));
        Assert.Equal(3, kinds.GetValueOrDefault("PodDisruptionBudget")); // edge, parser, and the NATS cluster's
        Assert.True(kinds.GetValueOrDefault("Service") >= 2, "edge Service and the NATS Service");
        foreach (var kind in new[] { "Ingress", "ConfigMap", "StatefulSet", "ServiceMonitor" })
            Assert.Equal(1, kinds.GetValueOrDefault(kind));
    }

    [Fact]
    public void Each_deployment_runs_its_service_on_the_port_its_config_section_names()
    {
        var expected = new Dictionary<string, string>
        {
            ["ingestor"] = ".Values.config.ingestor.metrics_port",
            ["parser"] = ".Values.config.parser.metrics_port",
            ["edge"] = ".Values.config.webserver.listen_port",
        };
        var entrypointServices = Repo.Text("docker", "entrypoint.sh");
        foreach (var (component, port) in expected)
        {
            var file = Chart.Templates[$"{component}-deployment.yaml"];
            Assert.Equal(("certstream.deployment", component), Assert.Single(HelmChart.ComponentIncludes(file)));
            Assert.Contains($"\"port\" {port})", file, StringComparison.Ordinal);
            Assert.Contains($"  {component})", entrypointServices, StringComparison.Ordinal);
        }
        // The container is started with its component's name, the entrypoint's first argument.
        Assert.Contains("args: [{{ .component | quote }}]", Chart.Defines["certstream.deployment"], StringComparison.Ordinal);
    }

    [Fact]
    public void Probes_ask_healthz_for_liveness_and_readyz_for_readiness()
    {
        var deployment = Chart.Defines["certstream.deployment"];
        Assert.Equal("/healthz", Assert.Single(Probe("liveness").Matches(deployment)).Groups["path"].Value);
        Assert.Equal("/readyz", Assert.Single(Probe("readiness").Matches(deployment)).Groups["path"].Value);
        // NATS has no /readyz; its monitoring port answers /healthz once JetStream is up.
        Assert.Equal(2, Regex.Count(Chart.Templates["nats-statefulset.yaml"], @"httpGet: \{ path: /healthz, port: monitor \}"));
    }

    [Fact]
    public void The_bundled_nats_runs_JetStream_on_a_persistent_volume_and_the_external_one_needs_a_url()
    {
        var nats = Chart.Templates["nats-statefulset.yaml"];
        Assert.StartsWith("{{- if .Values.nats.enabled }}", nats[nats.IndexOf("{{- if", StringComparison.Ordinal)..], StringComparison.Ordinal);
        Assert.Contains("args:\n            - \"-js\"\n            - \"-sd\"\n            - \"/data\"", nats, StringComparison.Ordinal);
        Assert.Contains("mountPath: /data", nats, StringComparison.Ordinal);
        Assert.Contains("volumeClaimTemplates:", nats, StringComparison.Ordinal);
        Assert.Contains("required \"nats.url is required when nats.enabled is false\" .Values.nats.url", Chart.Defines["certstream.natsUrl"], StringComparison.Ordinal);
    }

    [Fact]
    public void The_bundled_nats_as_a_cluster_routes_every_node_to_the_others_and_gives_the_services_all_of_them_with_three_replicas()
    {
        Assert.Equal("false", Chart.Value("nats.cluster.enabled")!.ToString());
        Assert.Equal("3", Chart.Value("nats.cluster.size")!.ToString());
        var nats = Chart.Templates["nats-statefulset.yaml"];
        // Started together (one node alone never turns ready), found by name before they are ready.
        Assert.Contains("podManagementPolicy: Parallel", nats, StringComparison.Ordinal);
        Assert.Contains("publishNotReadyAddresses: true", nats, StringComparison.Ordinal);
        Assert.Contains("serviceName: {{ $full }}-nats{{ if $cluster }}-headless{{ end }}", nats, StringComparison.Ordinal);
        // Server names are the pod names; routes name every node on the cluster port the container opens.
        Assert.Contains("- \"--name\"\n            - \"$(POD_NAME)\"", nats, StringComparison.Ordinal);
        Assert.Contains("fieldPath: metadata.name", nats, StringComparison.Ordinal);
        Assert.Contains("- {{ include \"certstream.natsNodes\" (dict \"root\" . \"port\" 6222) | quote }}", nats, StringComparison.Ordinal);
        Assert.Contains("containerPort: 6222", nats, StringComparison.Ordinal);
        Assert.Contains("fail \"nats.cluster.size must be 3 or more", nats, StringComparison.Ordinal);
        // Pod DNS names under the headless Service, as a StatefulSet gives them.
        Assert.Contains("nats://%s-nats-%d.%s-nats-headless:%d", Chart.Defines["certstream.natsNodes"], StringComparison.Ordinal);
        Assert.Contains("include \"certstream.natsNodes\" (dict \"root\" . \"port\" 4222)", Chart.Defines["certstream.natsUrl"], StringComparison.Ordinal);
        Assert.Contains("min 3 (int .Values.nats.cluster.size)", Chart.Defines["certstream.natsReplicas"], StringComparison.Ordinal);
        Assert.Contains("replicas: {{ include \"certstream.natsReplicas\" . }}", Chart.Templates["configmap.yaml"], StringComparison.Ordinal);

        // The config the ConfigMap renders for a release "rel" with the cluster on passes strict validation.
        var root = new YamlMappingNode
        {
            { "nats", new YamlMappingNode
                {
                    { "url", "nats://rel-certstream-nats-0.rel-certstream-nats-headless:4222,nats://rel-certstream-nats-1.rel-certstream-nats-headless:4222,nats://rel-certstream-nats-2.rel-certstream-nats-headless:4222" },
                    { "replicas", "3" },
                }
            },
        };
        var config = ConfigLoader.Parse(Yaml.Serialize(root), "configmap", new Dictionary<string, string>());
        Assert.Equal(3, config.Nats.Servers.Count);
        Assert.Equal(3, config.Nats.Replicas);
    }

    [Fact]
    public void The_ingress_keeps_WebSockets_open_and_routes_to_the_edge_service()
    {
        var annotations = Chart.Value("ingress.annotations")!.Entries().ToDictionary(e => e.Key, e => ((YamlScalarNode)e.Value).Value);
        Assert.Equal("3600", annotations["nginx.ingress.kubernetes.io/proxy-read-timeout"]);
        Assert.Equal("3600", annotations["nginx.ingress.kubernetes.io/proxy-send-timeout"]);
        Assert.Equal("off", annotations["nginx.ingress.kubernetes.io/proxy-buffering"]);
        var ingress = Chart.Templates["edge-ingress.yaml"];
        Assert.Contains("name: {{ include \"certstream.fullname\" . }}-edge", ingress, StringComparison.Ordinal);
        Assert.Contains("name: http", ingress, StringComparison.Ordinal);
        Assert.Contains("- name: http", Chart.Templates["edge-service.yaml"], StringComparison.Ordinal);
    }

    [Fact]
    public void Every_CERTSTREAM_variable_the_chart_sets_is_accepted()
    {
        var helpers = Chart.Templates["_helpers.tpl"];
        var variables = EnvName().Matches(helpers).Select(m => m.Groups["name"].Value).ToList();
        Assert.Equal(["CERTSTREAM_LOG_LEVEL", "CERTSTREAM_LOG_FORMAT", "CERTSTREAM_NATS_TOKEN", "CERTSTREAM_NATS_USER", "CERTSTREAM_NATS_PASSWORD"], variables);
        // Plain values come from values.yaml; Secret-sourced ones get a sample value.
        Assert.Null(CertstreamVariables.Problem("CERTSTREAM_LOG_LEVEL", Chart.Values.Text("logLevel")!));
        Assert.Null(CertstreamVariables.Problem("CERTSTREAM_LOG_FORMAT", Chart.Values.Text("logFormat")!));
        Assert.Null(CertstreamVariables.Problem("CERTSTREAM_NATS_TOKEN", "s3cret"));
        Assert.Null(CertstreamVariables.Problem("CERTSTREAM_NATS_USER", "certstream"));
        Assert.Null(CertstreamVariables.Problem("CERTSTREAM_NATS_PASSWORD", "s3cret"));
    }

    [Theory]
    [MemberData(nameof(TemplateFiles))]
    public void Template_blocks_are_balanced(string file) =>
        Assert.Empty(TemplateBlocks.Problems(Chart.Templates[file]));

    public static TheoryData<string> TemplateFiles() => [.. HelmChart.Load().Templates.Keys];

    private static Regex Probe(string kind) => new($@"{kind}Probe:\s*\n\s*httpGet: \{{ path: (?<path>/\w+), port: http \}}");

    [GeneratedRegex(@"- name: (?<name>CERTSTREAM_[A-Z_]+)")]
    private static partial Regex EnvName();
}
