using Certstream.Hosting.Configuration;
using Certstream.Hosting.Health;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NATS.Client.Core;

namespace Certstream.Hosting.Messaging;

public static class NatsHostingExtensions
{
    /// <summary>
    /// Registers the service's one NATS.Net connection (from the <c>nats:</c> section, named
    /// <c>certstream-&lt;service&gt;-&lt;host&gt;</c>), the <see cref="NatsConnector"/> that establishes it in the background,
    /// the client's metrics (<see cref="NatsClientMetrics"/>) and a readiness check "nats" that holds while it is open.
    /// Must follow <c>AddServiceDefaults</c>, which registers the options. Register it before the service's own hosted
    /// services: the host stops them in reverse order, so the connection closes only after they finished.
    /// </summary>
    public static WebApplicationBuilder AddNatsConnection(this WebApplicationBuilder builder, string serviceName)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var name = $"certstream-{serviceName}-{Environment.MachineName}";
        builder.Services.AddSingleton(services => new NatsClientLog(services.GetRequiredService<ILoggerFactory>()));
        builder.Services.AddSingleton(services =>
            new NatsConnection(services.GetRequiredService<NatsOptions>().ToNatsOpts(name, services.GetRequiredService<NatsClientLog>())));
        builder.Services.AddSingleton<INatsConnection>(services => services.GetRequiredService<NatsConnection>());
        builder.Services.AddSingleton<NatsConnector>();
        builder.Services.AddHostedService(services => services.GetRequiredService<NatsConnector>());
        builder.Services.AddSingleton(services => new NatsClientMetrics(name, services.GetRequiredService<Certstream.Hosting.Metrics.ServiceMetrics>()));
        builder.Services.AddHealthChecks().AddReadinessCheck<NatsReadinessCheck>("nats");
        return builder;
    }
}
