using Certstream.Hosting;
using Certstream.Hosting.Health;
using Certstream.Hosting.Messaging;

namespace Certstream.Edge;

/// <summary>How the edge is composed (README "Architecture": NATS certstream.* → StreamHub → WebSocket clients); Program.cs, the tests and the bench all use it.</summary>
internal static class EdgeRegistration
{
    /// <summary>
    /// After <c>AddServiceDefaults</c>: the NATS connection, the web side (<see cref="EdgeServer.Build"/>: services,
    /// limits, the <c>webserver.listen_addr:listen_port</c> listener) and the <see cref="StreamFeed"/>, with readiness
    /// "nats" and "subscribed". Map it with <see cref="EdgeServer.MapEdge"/> before <c>MapServiceDefaults</c>.
    /// </summary>
    public static WebApplicationBuilder AddEdge(this WebApplicationBuilder builder, EdgeTuning? tuning = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var config = builder.ServiceConfig();
        builder.AddNatsConnection("edge");
        EdgeServer.Build(builder, config.Webserver, config.Prometheus, tuning);
        builder.Services.AddSingleton<StreamFeed>();
        builder.Services.AddHostedService(services => services.GetRequiredService<StreamFeed>());
        builder.Services.AddHealthChecks().AddReadinessCheck<SubscriptionReadinessCheck>("subscribed");
        return builder;
    }
}
