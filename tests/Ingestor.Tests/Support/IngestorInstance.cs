using Microsoft.Extensions.Logging;
using Certstream.Hosting.Configuration;
using Certstream.Ingestor.Service;
using Certstream.TestSupport;

namespace Certstream.Ingestor.Tests.Support;

/// <summary>The ingestor run in-process against a real nats-server, composed as Program.cs composes it (<c>AddIngestor</c>).</summary>
internal sealed class IngestorInstance : IAsyncDisposable
{
    public static readonly TimeSpan LeaseTtl = TimeSpan.FromSeconds(3);

    private IngestorInstance(InProcessService host, CapturingLoggerFactory logs)
    {
        Host = host;
        Logs = logs;
    }

    public InProcessService Host { get; }

    /// <summary>Every line the service logged.</summary>
    public CapturingLoggerFactory Logs { get; }

    public IngestorService Service => Host.Get<IngestorService>();

    /// <summary>Short leases, publish timeouts and retries, the given settings in place of the config's, and the instance id.</summary>
    public static IngestorTuning TuningFor(IngestorSettings settings, string instanceId) => new()
    {
        InstanceId = instanceId,
        LeaseTtl = LeaseTtl,
        EnsureRetryMin = TimeSpan.FromMilliseconds(100),
        EnsureRetryMax = TimeSpan.FromMilliseconds(500),
        Publisher = new() { AckTimeout = TimeSpan.FromSeconds(1), RetryMin = TimeSpan.FromMilliseconds(20), RetryMax = TimeSpan.FromMilliseconds(200) },
        Settings = _ => settings,
    };

    public static Task<IngestorInstance> StartAsync(string natsUrl, IngestorSettings settings, string instanceId) =>
        StartAsync(natsUrl, TuningFor(settings, instanceId));

    /// <param name="replicas"><c>nats.replicas</c>.</param>
    public static async Task<IngestorInstance> StartAsync(string natsUrl, IngestorTuning tuning, int replicas = 1)
    {
        var logs = new CapturingLoggerFactory();
        var config = new CertstreamConfig
        {
            Nats = new NatsOptions { Url = natsUrl, Replicas = replicas },
            Ingestor = new IngestorOptions { MetricsPort = 0, RawMaxAge = TimeSpan.FromHours(1) },
        };
        var host = await InProcessService.StartAsync("ingestor", config, builder =>
        {
            builder.AddIngestor(tuning);
            builder.Logging.AddProvider(logs);
        }, logLevel: Microsoft.Extensions.Logging.LogLevel.Information);
        return new IngestorInstance(host, logs);
    }

    public Task StopAsync() => Host.StopAsync();

    public ValueTask DisposeAsync() => Host.DisposeAsync();
}
