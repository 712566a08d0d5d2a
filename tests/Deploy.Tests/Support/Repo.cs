using Certstream.TestSupport;

namespace Certstream.Deploy.Tests.Support;

/// <summary>The deployment files under test, read from the checkout.</summary>
internal static class Repo
{
    public static string Path(params string[] parts) => System.IO.Path.Combine([RepoPaths.Root, .. parts]);

    public static string Text(params string[] parts) => File.ReadAllText(Path(parts));

    public static string ComposeFile => Path("docker-compose.yml");
    public static string DemoEnvFile => Path("docker", "demo.env");
    public static string ChartDir => Path("helm", "certstream");
    public static string DashboardFile => Path("monitoring", "grafana", "dashboards", "certstream.json");
}
