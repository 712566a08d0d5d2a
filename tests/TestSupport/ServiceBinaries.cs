using System.Reflection;

namespace Certstream.TestSupport;

/// <summary>How the services are built: assemblies run by <c>dotnet</c> (JIT), or Native AOT executables.</summary>
public enum ServiceBuild
{
    Jit,
    Aot,
}

/// <summary>The four programs of one build: a service dll (run with <c>dotnet</c>) or a native executable each.</summary>
public sealed record ServiceBinarySet(ServiceBuild Build, string Ingestor, string Parser, string Edge, string Simulator)
{
    /// <summary>"jit" or "aot", for names of figures and failure messages.</summary>
    public string Name => Build == ServiceBuild.Aot ? "aot" : "jit";
}

/// <summary>
/// The built services and simulator. JIT: the dlls of the same configuration and framework as this assembly (a test or
/// bench project builds its references, this one included, with its own configuration). AOT: the executables
/// scripts/publish-aot.sh (make aot) wrote to artifacts/aot/. <c>CERTSTREAM_TEST_SERVICE_BUILD=aot</c> makes AOT the
/// default of the test run (the test process reads it; the services never see it).
/// </summary>
public static class ServiceBinaries
{
    private static readonly Lazy<(string Configuration, string Framework)> BuildInfo = new(() =>
    {
        var metadata = typeof(ServiceBinaries).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().ToDictionary(a => a.Key, a => a.Value);
        return (metadata["Configuration"]!, metadata["TargetFramework"]!);
    });

    /// <summary>Debug or Release, as this assembly was built.</summary>
    public static string Configuration => BuildInfo.Value.Configuration;

    /// <summary>The build this run uses unless a test asks for another.</summary>
    public static ServiceBuild DefaultBuild =>
        Environment.GetEnvironmentVariable("CERTSTREAM_TEST_SERVICE_BUILD") switch
        {
            null or "" or "jit" => ServiceBuild.Jit,
            "aot" => ServiceBuild.Aot,
            var other => throw new InvalidOperationException($"CERTSTREAM_TEST_SERVICE_BUILD={other}: expected jit or aot"),
        };

    /// <summary>The folder scripts/publish-aot.sh publishes to.</summary>
    public static string AotDirectory => Path.Combine(RepoPaths.Root, "artifacts", "aot");

    public static ServiceBinarySet Default => Of(DefaultBuild);

    public static string Ingestor => Default.Ingestor;

    public static string Parser => Default.Parser;

    public static string Edge => Default.Edge;

    public static string Simulator => Default.Simulator;

    public static ServiceBinarySet Of(ServiceBuild build) => build == ServiceBuild.Aot
        ? new(build, Native("ingestor", "Certstream.Ingestor"), Native("parser", "Certstream.Parser"), Native("edge", "Certstream.Edge"),
            Native("ctlog-sim", "Certstream.CtLogSim"))
        : new(build, Dll("services/ingestor", "Certstream.Ingestor"), Dll("services/parser", "Certstream.Parser"), Dll("services/edge", "Certstream.Edge"),
            Dll("tools/ctlog-sim", "Certstream.CtLogSim"));

    private static string Dll(string project, string assembly) =>
        Path.Combine(RepoPaths.Root, project, "bin", BuildInfo.Value.Configuration, BuildInfo.Value.Framework, assembly + ".dll");

    private static string Native(string folder, string name) => Path.Combine(AotDirectory, folder, name);
}
