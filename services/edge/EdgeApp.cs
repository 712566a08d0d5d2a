using Certstream.Hosting;
using Certstream.Hosting.Health;
using Certstream.Hosting.Messaging;

namespace Certstream.Edge;

/// <summary>The edge service's composition (SPEC §1, §2): NATS certstream.* → StreamHub → WebSocket clients.</summary>
internal static class EdgeApp
{
    public static WebApplication Build(ServiceLaunch launch)
    {
        if (!launch.ShouldRun) throw new ArgumentException("the launch has no configuration to run with", nameof(launch));
        var builder = WebApplication.CreateSlimBuilder();
        builder.AddServiceDefaults(launch);
        builder.AddNatsConnection("edge");
        EdgeServer.Build(builder, launch.Config.Webserver, launch.Config.Prometheus); // also sets the listener: webserver.listen_addr:listen_port
        builder.Services.AddSingleton<StreamFeed>();
        builder.Services.AddHostedService(services => services.GetRequiredService<StreamFeed>());
        builder.Services.AddHealthChecks().AddReadinessCheck<SubscriptionReadinessCheck>("subscribed");

        var app = builder.Build();
        app.MapEdge();
        app.MapServiceDefaults();
        return app;
    }
}
