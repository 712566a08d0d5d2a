using Certstream.Deploy.Tests.Support;
using Certstream.Hosting.Configuration;
using YamlDotNet.RepresentationModel;

namespace Certstream.Deploy.Tests;

/// <summary>monitoring/: Prometheus scrapes what compose runs, Grafana loads the dashboard from where compose mounts it.</summary>
public sealed class MonitoringTests
{
    private static readonly YamlMappingNode Compose = Yaml.LoadFile(Repo.ComposeFile);
    private static readonly YamlMappingNode Prometheus = Yaml.LoadFile(Repo.Path("monitoring", "prometheus.yml"));

    private static IEnumerable<YamlNode> ScrapeConfigs => ((YamlSequenceNode)Prometheus.Get("scrape_configs")!).Children;

    /// <summary>host:port targets of a job, from static_configs or dns_sd_configs.</summary>
    private static List<string> Targets(YamlNode job)
    {
        var targets = new List<string>();
        foreach (var s in (job.Get("static_configs") as YamlSequenceNode)?.Children ?? [])
            targets.AddRange(s.Texts("targets"));
        foreach (var d in (job.Get("dns_sd_configs") as YamlSequenceNode)?.Children ?? [])
            targets.AddRange(d.Texts("names").Select(n => $"{n}:{d.Text("port")}"));
        return targets;
    }

    private static CertstreamConfig ConfigOf(string service)
    {
        var environment = Compose.Map("services").Map(service).Get("environment").Entries()
            .ToDictionary(e => e.Key, e => ComposeInterpolation.Apply(((YamlScalarNode)e.Value).Value ?? "", new Dictionary<string, string>()));
        return ConfigLoader.Parse(Repo.Text("config.yaml"), "config.yaml", environment);
    }

    [Fact]
    public void Prometheus_scrapes_every_certstream_service_at_its_compose_name_and_metrics_port()
    {
        var expected = new Dictionary<string, string>
        {
            ["ingestor"] = $"ingestor:{ConfigOf("ingestor").Ingestor.MetricsPort}",
            ["parser"] = $"parser:{ConfigOf("parser").Parser.MetricsPort}",
            ["edge"] = $"edge:{ConfigOf("edge").Webserver.ListenPort}",
        };
        var jobs = ScrapeConfigs.ToDictionary(j => j.Text("job_name")!, j => j);
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), jobs.Keys.Order(StringComparer.Ordinal));
        foreach (var (service, target) in expected)
        {
            Assert.NotNull(Compose.Map("services").Get(service));
            Assert.Equal([target], Targets(jobs[service]));
            Assert.Equal(ConfigOf(service).Prometheus.MetricsUrl, jobs[service].Text("metrics_path") ?? "/metrics");
        }
    }

    [Fact]
    public void The_parser_job_discovers_every_replica_through_compose_dns()
    {
        var parser = ScrapeConfigs.Single(j => j.Text("job_name") == "parser");
        var dns = Assert.Single(((YamlSequenceNode)parser.Get("dns_sd_configs")!).Children);
        Assert.Equal("A", dns.Text("type"));
    }

    [Fact]
    public void Grafana_provisions_the_dashboard_folder_compose_mounts()
    {
        var provider = Assert.Single(((YamlSequenceNode)Yaml.LoadFile(Repo.Path("monitoring", "grafana", "provisioning", "dashboards", "certstream.yml")).Get("providers")!).Children);
        var path = provider.Map("options").Text("path");
        var volumes = Compose.Map("services").Map("grafana").Texts("volumes").ToList();
        Assert.Contains($"./monitoring/grafana/dashboards:{path}:ro", volumes);
        Assert.Contains("./monitoring/grafana/provisioning:/etc/grafana/provisioning:ro", volumes);
        Assert.Contains("./monitoring/prometheus.yml:/etc/prometheus/prometheus.yml:ro", Compose.Map("services").Map("prometheus").Texts("volumes"));
    }
}
