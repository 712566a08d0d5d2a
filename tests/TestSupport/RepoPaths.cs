namespace Certstream.TestSupport;

/// <summary>Locates the checkout and its fixtures (tests/fixtures: real CT data, sources in tests/fixtures/SOURCES.md).</summary>
public static class RepoPaths
{
    private static readonly Lazy<string> RootLazy = new(FindRoot);

    /// <summary>The checkout's root: the folder holding certstream-nats.slnx.</summary>
    public static string Root => RootLazy.Value;

    /// <summary>tests/fixtures in the checkout.</summary>
    public static string Fixtures => Path.Combine(Root, "tests", "fixtures");

    public static string Fixture(params string[] parts) => Path.Combine([Fixtures, .. parts]);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "certstream-nats.slnx")))
                return dir.FullName;
        }
        throw new InvalidOperationException($"certstream-nats.slnx not found above {AppContext.BaseDirectory}");
    }
}
