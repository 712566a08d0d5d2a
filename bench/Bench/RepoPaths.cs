namespace Certstream.Bench;

/// <summary>Where the repository and its shared fixtures are, found from the benchmark's output folder.</summary>
internal static class RepoPaths
{
    /// <summary>The folder holding certstream-nats.slnx.</summary>
    public static string Root
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "certstream-nats.slnx"))) return dir.FullName;
            }
            throw new InvalidOperationException("certstream-nats.slnx not found above " + AppContext.BaseDirectory);
        }
    }

    /// <summary>The shared fixtures, beside the repository (<c>../shared/fixtures</c>).</summary>
    public static string Fixtures => Path.GetFullPath(Path.Combine(Root, "..", "shared", "fixtures"));

    /// <summary>The node clients of the interop tests (<c>tests/node</c>).</summary>
    public static string NodeClients => Path.Combine(Root, "tests", "node");
}
