using Certstream.Ingestor.Service;
using Certstream.Nats;

namespace Certstream.Ingestor.Tests.Support;

/// <summary>An <see cref="IngestorService"/> run in-process against a real nats-server, as the host would run it.</summary>
internal sealed class IngestorInstance : IAsyncDisposable
{
    public static readonly TimeSpan LeaseTtl = TimeSpan.FromSeconds(3);

    private IngestorInstance(IngestorServiceOptions options)
    {
        Options = options;
        Service = new IngestorService(options, Readiness, new CapturingLoggerFactory());
    }

    public IngestorServiceOptions Options { get; }
    public NatsReadiness Readiness { get; } = new();
    public IngestorService Service { get; }

    public static IngestorServiceOptions OptionsFor(string natsUrl, IngestorSettings settings, string instanceId) =>
        new(settings, new NatsOpts { Url = natsUrl, Name = "test-" + instanceId, ReconnectWaitMin = TimeSpan.FromMilliseconds(50), ReconnectWaitMax = TimeSpan.FromMilliseconds(200) },
            TimeSpan.FromHours(1), instanceId)
        {
            LeaseTtl = LeaseTtl,
            EnsureRetryMin = TimeSpan.FromMilliseconds(100),
            EnsureRetryMax = TimeSpan.FromMilliseconds(500),
            Publisher = new() { AckTimeout = TimeSpan.FromSeconds(1), RetryMin = TimeSpan.FromMilliseconds(20), RetryMax = TimeSpan.FromMilliseconds(200) },
        };

    public static async Task<IngestorInstance> StartAsync(IngestorServiceOptions options)
    {
        var instance = new IngestorInstance(options);
        await instance.Service.StartAsync(CancellationToken.None);
        return instance;
    }

    public async Task StopAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await Service.StopAsync(timeout.Token);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        Service.Dispose();
    }
}
