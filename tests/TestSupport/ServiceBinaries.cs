using System.Reflection;

namespace Certstream.TestSupport;

/// <summary>
/// The built service and simulator dlls, same configuration and framework as this assembly (a test or bench
/// project builds its references, this one included, with its own configuration).
/// </summary>
public static class ServiceBinaries
{
    private static readonly Lazy<(string Configuration, string Framework)> Build = new(() =>
    {
        var metadata = typeof(ServiceBinaries).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().ToDictionary(a => a.Key, a => a.Value);
        return (metadata["Configuration"]!, metadata["TargetFramework"]!);
    });

    /// <summary>Debug or Release, as this assembly was built.</summary>
    public static string Configuration => Build.Value.Configuration;

    public static string Ingestor => Dll("services/ingestor", "Certstream.Ingestor");

    public static string Parser => Dll("services/parser", "Certstream.Parser");

    public static string Edge => Dll("services/edge", "Certstream.Edge");

    public static string Simulator => Dll("tools/ctlog-sim", "Certstream.CtLogSim");

    private static string Dll(string project, string assembly) =>
        Path.Combine(RepoPaths.Root, project, "bin", Build.Value.Configuration, Build.Value.Framework, assembly + ".dll");
}
