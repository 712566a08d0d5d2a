using System.Globalization;
using Certstream.TestSupport;

namespace Certstream.Parser.Tests.Service;

/// <summary>The built parser run as a real process (<c>dotnet Certstream.Parser.dll …</c>), killed only by its own id.</summary>
internal static class ParserProcess
{
    public static ChildProcess Start(params string[] args) =>
        ChildProcess.StartService("parser", ServiceBinaries.Parser, args,
            environment: new Dictionary<string, string> { ["CERTSTREAM_LOG_LEVEL"] = "information" });

    /// <summary>Runs a service with a config file naming the NATS URL, the parser settings and a metrics port.</summary>
    public static ChildProcess StartService(string configPath) => Start("-c", configPath);

    public static string WriteConfig(string natsUrl, int concurrency, int fetchBatch, int metricsPort)
    {
        var path = Path.Combine(Path.GetTempPath(), "certstream-parser-test-" + Guid.NewGuid().ToString("N") + ".yaml");
        File.WriteAllText(path, string.Create(CultureInfo.InvariantCulture, $"""
            nats:
              url: "{natsUrl}"
            parser:
              concurrency: {concurrency}
              fetch_batch: {fetchBatch}
              metrics_port: {metricsPort}
            """));
        return path;
    }
}
