using System.Text.RegularExpressions;
using Certstream.Deploy.Tests.Support;

namespace Certstream.Deploy.Tests;

/// <summary>The Dockerfile and the entrypoint read as text (tests/Containers.Tests builds and runs the image).</summary>
public sealed partial class DockerImageTests
{
    private static readonly string Dockerfile = Repo.Text("Dockerfile");
    private static readonly string Entrypoint = Repo.Text("docker", "entrypoint.sh");

    [Fact]
    public void The_image_is_built_by_the_SDK_and_runs_on_the_runtime_dependencies_image_as_a_non_root_user()
    {
        // The base images are build arguments (local images where no registry answers); by default Microsoft's.
        var args = Arg().Matches(Dockerfile).ToDictionary(m => m.Groups["name"].Value, m => m.Groups["value"].Value);
        var stages = From().Matches(Dockerfile).Select(m => m.Groups["image"].Value)
            .Select(image => Regex.Replace(image, @"^\$\{(\w+)\}$", r => args[r.Groups[1].Value])).ToList();
        Assert.Equal(["mcr.microsoft.com/dotnet/sdk:10.0", "mcr.microsoft.com/dotnet/runtime-deps:10.0"], stages);
        var runtime = Dockerfile[Dockerfile.LastIndexOf("FROM ", StringComparison.Ordinal)..];
        var user = Assert.Single(User().Matches(runtime)).Groups["user"].Value;
        // $APP_UID is the .NET images' numeric non-root user (1654); a name or root would fail runAsNonRoot.
        Assert.Equal("$APP_UID", user);
        Assert.Contains("ENTRYPOINT [\"/app/entrypoint.sh\"]", runtime, StringComparison.Ordinal);
    }

    [Fact]
    public void The_image_health_check_probes_whichever_service_the_entrypoint_runs()
    {
        Assert.Contains("CMD [\"/app/entrypoint.sh\", \"healthcheck\", \"auto\"]", Dockerfile, StringComparison.Ordinal);
        // "healthcheck auto" tells the service by the assembly running as PID 1: every one the entrypoint starts.
        var auto = Entrypoint[Entrypoint.IndexOf("cmdline=", StringComparison.Ordinal)..];
        var runs = DllPath().Matches(Entrypoint).Select(m => m.Groups["assembly"].Value).Distinct().ToList();
        Assert.Equal(4, runs.Count);
        Assert.All(runs, assembly => Assert.Contains($"*/{assembly}\\ *", auto, StringComparison.Ordinal));
    }

    [Fact]
    public void The_programs_are_published_Native_AOT_and_nothing_runs_them_with_dotnet()
    {
        Assert.Contains("-p:PublishAot=true", Dockerfile, StringComparison.Ordinal);
        Assert.DoesNotContain("dotnet ", Entrypoint, StringComparison.Ordinal);
        Assert.Equal(4, Regex.Count(Entrypoint, @"exec /app/[a-z-]+/Certstream\.[A-Za-z]+ "));
    }

    [Fact]
    public void Every_assembly_the_entrypoint_runs_is_published_by_the_Dockerfile()
    {
        var published = PublishedProjects().Matches(Dockerfile).SelectMany(m => m.Groups["projects"].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToList();
        var runs = DllPath().Matches(Entrypoint).Select(m => (Dir: m.Groups["dir"].Value, Assembly: m.Groups["assembly"].Value)).Distinct().ToList();
        Assert.Equal(4, runs.Count);
        foreach (var (dir, assembly) in runs)
        {
            // dotnet publish -o /app/$(basename project): the folder is the project folder's name.
            var project = Assert.Single(published, p => Path.GetFileName(p) == dir);
            var csproj = Assert.Single(Directory.GetFiles(Repo.Path(project), "*.csproj"));
            Assert.Contains($"<AssemblyName>{assembly}</AssemblyName>", File.ReadAllText(csproj), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void The_services_read_the_config_file_the_image_carries_and_the_chart_mounts()
    {
        var config = ConfigPath().Match(Entrypoint).Groups["path"].Value;
        Assert.Equal("/etc/certstream/config.yaml", config);
        Assert.Contains($"COPY config.yaml {config}", Dockerfile, StringComparison.Ordinal);
        Assert.Contains("mountPath: " + Path.GetDirectoryName(config), Repo.Text("helm", "certstream", "templates", "_helpers.tpl"), StringComparison.Ordinal);
        Assert.Equal(3, Regex.Count(Entrypoint, @"-c ""\$config"""));
    }

    [Fact]
    public void Everything_the_Dockerfile_copies_from_the_context_exists()
    {
        foreach (Match m in Copy().Matches(Dockerfile))
        {
            foreach (var source in m.Groups["sources"].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                Assert.True(File.Exists(Repo.Path(source)) || Directory.Exists(Repo.Path(source)), $"COPY {source}: not in the repository");
        }
    }

    [GeneratedRegex(@"^ARG\s+(?<name>[A-Z_]+)=(?<value>\S+)", RegexOptions.Multiline)]
    private static partial Regex Arg();

    [GeneratedRegex(@"^FROM\s+(?<image>\S+)", RegexOptions.Multiline)]
    private static partial Regex From();

    [GeneratedRegex(@"^USER\s+(?<user>\S+)", RegexOptions.Multiline)]
    private static partial Regex User();

    [GeneratedRegex(@"for p in (?<projects>[^;]+);")]
    private static partial Regex PublishedProjects();

    // The native executable is named after the assembly: /app/<project folder>/<AssemblyName>.
    [GeneratedRegex(@"exec /app/(?<dir>[a-z-]+)/(?<assembly>[A-Za-z.]+) ")]
    private static partial Regex DllPath();

    [GeneratedRegex(@"^config=(?<path>\S+)", RegexOptions.Multiline)]
    private static partial Regex ConfigPath();

    // COPY lines from the build context (not --from=stage); the last word is the destination.
    [GeneratedRegex(@"^COPY[ \t]+(?!--from)(?:--\S+[ \t]+)*(?<sources>(?:\S+[ \t]+)+)\S+[ \t]*$", RegexOptions.Multiline)]
    private static partial Regex Copy();
}
