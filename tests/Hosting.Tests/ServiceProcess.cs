using Certstream.TestSupport;

namespace Certstream.Hosting.Tests;

/// <summary>The built edge binary (<c>dotnet Certstream.Edge.dll …</c>) run as a child process in a test's directory.</summary>
internal static class ServiceProcess
{
    public static ChildProcess Start(string workingDirectory, params string[] args) => Start(workingDirectory, new Dictionary<string, string>(), args);

    public static ChildProcess Start(string workingDirectory, IReadOnlyDictionary<string, string> environment, params string[] args) =>
        ChildProcess.StartService("edge", ServiceBinaries.Edge, args, workingDirectory, environment);
}
