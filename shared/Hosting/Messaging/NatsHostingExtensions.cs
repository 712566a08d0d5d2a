using Certstream.Hosting.Configuration;
using Certstream.Hosting.Health;
using Certstream.Nats;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Certstream.Hosting.Messaging;

public static class NatsHostingExtensions
{
    /// <summary>
    /// Registers the service's NATS connection (from the <c>nats:</c> section), the <see cref="NatsConnector"/>
    /// that establishes it in the background, and a readiness check "nats" that holds while it is open.
    /// Must follow <c>AddServiceDefaults</c>, which registers the options.
    /// </summary>
    public static WebApplicationBuilder AddNatsConnection(this WebApplicationBuilder builder, string serviceName)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddSingleton(services =>
            new NatsConnection(services.GetRequiredService<NatsOptions>().ToNatsOpts($"certstream-{serviceName}-{Environment.MachineName}")));
        builder.Services.AddSingleton<NatsConnector>();
        builder.Services.AddHostedService(services => services.GetRequiredService<NatsConnector>());
        builder.Services.AddHealthChecks().AddReadinessCheck<NatsReadinessCheck>("nats");
        return builder;
    }
}
