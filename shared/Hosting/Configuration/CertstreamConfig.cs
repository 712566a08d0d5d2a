namespace Certstream.Hosting.Configuration;

/// <summary>The whole configuration file (README "Configuration"); each service reads the sections it needs.</summary>
public sealed record CertstreamConfig
{
    public NatsOptions Nats { get; init; } = new();
    public GeneralOptions General { get; init; } = new();
    public IngestorOptions Ingestor { get; init; } = new();
    public ParserOptions Parser { get; init; } = new();
    public HistoryOptions History { get; init; } = new();
    public UniqueOptions Unique { get; init; } = new();
    public WebserverOptions Webserver { get; init; } = new();
    public PrometheusOptions Prometheus { get; init; } = new();
}
