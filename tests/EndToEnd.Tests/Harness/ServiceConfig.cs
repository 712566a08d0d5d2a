using System.Globalization;
using System.Text;

namespace Certstream.EndToEnd.Tests.Harness;

/// <summary>
/// Writes a service's YAML file with only keys that config.yaml defines (the loader is strict: an unknown
/// key stops start-up), so a config test failure here means the harness is wrong, not the service.
/// </summary>
internal static class ServiceConfig
{
    public static string Write(string directory, string name, string natsUrl, Uri logListUrl, PipelineOptions options,
        int ingestorMetricsPort, int parserMetricsPort, int edgePort)
    {
        var yaml = new StringBuilder()
            .Append("# written by the end-to-end harness for ").Append(name).Append('\n')
            .Append("nats:\n  url: \"").Append(natsUrl).Append("\"\n")
            .Append("  replicas: ").Append(options.Replicas.ToString(CultureInfo.InvariantCulture)).Append('\n')
            .Append("general:\n")
            .Append("  log_list_url: \"").Append(logListUrl).Append("\"\n")
            .Append("  start_at: 0\n")
            .Append("ingestor:\n")
            .Append("  sth_poll_interval: ").Append(options.SthPollInterval).Append('\n')
            .Append("  partial_tile_wait: ").Append(options.PartialTileWait).Append('\n')
            .Append("  metrics_port: ").Append(Port(ingestorMetricsPort)).Append('\n')
            .Append("parser:\n")
            .Append("  metrics_port: ").Append(Port(parserMetricsPort)).Append('\n');
        foreach (var line in options.ParserSettings) yaml.Append("  ").Append(line).Append('\n');
        if (options.HistoryStreams is { } streams)
            yaml.Append("history:\n  streams: [").Append(string.Join(", ", streams)).Append("]\n");
        yaml.Append("webserver:\n")
            .Append("  listen_addr: \"127.0.0.1\"\n")
            .Append("  listen_port: ").Append(Port(edgePort)).Append('\n');
        foreach (var line in options.EdgeSettings) yaml.Append("  ").Append(line).Append('\n');
        var path = Path.Combine(directory, name + ".yaml");
        File.WriteAllText(path, yaml.ToString());
        return path;
    }

    private static string Port(int port) => port.ToString(CultureInfo.InvariantCulture);
}
