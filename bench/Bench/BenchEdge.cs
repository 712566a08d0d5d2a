using Certstream.EndToEnd.Tests.Harness;
using Certstream.TestSupport;

namespace Certstream.Bench;

/// <summary>The edge as a process of its own, for the benchmarks that measure it alone (fan-out, crowd, replay).</summary>
internal static class BenchEdge
{
    /// <summary>An edge (not started) connected to <paramref name="natsUrl"/>, on a free port, its config in <paramref name="directory"/>.</summary>
    public static PipelineService Create(ServiceBinarySet binaries, string natsUrl, DirectoryInfo directory)
    {
        var port = FreePort.Next();
        // The log list URL is never read by an edge.
        var config = ServiceConfig.Write(directory.FullName, "edge", natsUrl, new Uri("http://127.0.0.1:9/log_list.json"), new PipelineOptions(),
            FreePort.Next(), FreePort.Next(), port);
        return new PipelineService("edge", binaries.Edge, config, port, directory.FullName, null);
    }
}
