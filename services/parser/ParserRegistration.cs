using Certstream.Hosting;
using Certstream.Hosting.Health;
using Certstream.Hosting.Messaging;
using Certstream.Parser.Pipeline;

namespace Certstream.Parser;

/// <summary>How the parser is composed; Program.cs, the tests and the bench all call <see cref="AddParser"/>.</summary>
internal static class ParserRegistration
{
    /// <summary>
    /// After <c>AddServiceDefaults</c>: the metrics port (<c>parser.metrics_port</c>), the NATS connection and the
    /// <see cref="ParserService"/>, with readiness "nats" (connected) and "consumer" (connected with the consumer bound).
    /// </summary>
    public static WebApplicationBuilder AddParser(this WebApplicationBuilder builder, ParserTuning? tuning = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.ListenForMetrics(builder.ServiceConfig().Parser.MetricsAddr, builder.ServiceConfig().Parser.MetricsPort);
        // Before the parser: the host stops services in reverse order, so the parser finishes and its acks reach the
        // server before the connection closes.
        builder.AddNatsConnection("parser");
        builder.Services.AddSingleton(tuning ?? new ParserTuning());
        builder.Services.AddSingleton<ParserMetrics>();
        builder.Services.AddSingleton<ParserService>();
        builder.Services.AddHostedService(services => services.GetRequiredService<ParserService>());
        builder.Services.AddHealthChecks().AddReadinessCheck<ParserReadinessCheck>("consumer");
        return builder;
    }
}
