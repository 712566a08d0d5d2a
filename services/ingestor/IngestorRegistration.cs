using Certstream.Hosting;
using Certstream.Hosting.Health;
using Certstream.Hosting.Messaging;
using Certstream.Hosting.Runtime;
using Certstream.Ingestor.Rfc6962;
using Certstream.Ingestor.Service;

namespace Certstream.Ingestor;

/// <summary>How the ingestor is composed; Program.cs, the tests and the bench all call <see cref="AddIngestor"/>.</summary>
internal static class IngestorRegistration
{
    /// <summary>
    /// After <c>AddServiceDefaults</c>: the metrics port (<c>ingestor.metrics_port</c>), the NATS connection, the
    /// <see cref="IngestorService"/> and its readiness (<c>CT_RAW</c> and the KV buckets ensured, and publishing to CT_RAW works).
    /// </summary>
    public static WebApplicationBuilder AddIngestor(this WebApplicationBuilder builder, IngestorTuning? tuning = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var config = builder.ServiceConfig();
        tuning ??= new IngestorTuning();
        builder.ListenForMetrics(config.Ingestor.MetricsAddr, config.Ingestor.MetricsPort);
        // Before the ingestor: hosted services stop in reverse order, so the connection closes only after the followers
        // saved their acked checkpoints and the leases were released.
        builder.AddNatsConnection("ingestor");
        builder.Services.AddSingleton(tuning);
        builder.Services.AddSingleton(tuning.Settings(SettingsMapping.ToSettings(config.General, config.Ingestor)));
        builder.Services.AddSingleton<IngestorMetrics>();
        builder.Services.AddSingleton<IMemoryReleaser>(DecodeBlocks.Shared);
        builder.Services.AddSingleton<IngestorService>();
        builder.Services.AddHostedService(services => services.GetRequiredService<IngestorService>());
        builder.Services.AddHealthChecks().AddReadinessCheck("ct_raw", static services => services.GetRequiredService<IngestorService>().NotReadyReason);
        // Followers wait up to 5 s for acks, then save checkpoints and release leases; leave room for that on SIGTERM.
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(20));
        return builder;
    }
}
