using System.Net;
using Certstream.Hosting.Configuration;
using Certstream.Hosting.Health;
using Certstream.Hosting.Logging;
using Certstream.Hosting.Metrics;
using Certstream.Hosting.Runtime;
using Prometheus;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace Certstream.Hosting;

/// <summary>
/// What every service wires the same way (after eShop's ServiceDefaults): options in DI, one-line
/// console logs, health endpoints, the metrics endpoint, and start/stop log lines.
/// </summary>
public static class ServiceDefaults
{
    public const string LivenessPath = "/healthz";
    public const string ReadinessPath = "/readyz";

    // ISO 8601 in UTC, sortable, to the millisecond.
    private const string TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";

    /// <summary>
    /// Registers the configuration (<see cref="CertstreamConfig"/> and each section's options record)
    /// as singletons, the console logger, the health checks (with a lifetime readiness check), the service's
    /// prometheus-net registry (<see cref="ServiceMetrics"/>), which its metrics are declared in, and the
    /// <see cref="MemoryTrimmer"/> that returns what a burst left committed.
    /// </summary>
    public static WebApplicationBuilder AddServiceDefaults(this WebApplicationBuilder builder, ServiceLaunch launch)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(launch);
        if (!launch.ShouldRun) throw new InvalidOperationException("the launch did not produce a configuration to run with");

        var config = launch.Config;
        builder.Services.AddSingleton(launch);
        builder.Services.AddSingleton(config);
        builder.Services.AddSingleton(config.Nats);
        builder.Services.AddSingleton(config.General);
        builder.Services.AddSingleton(config.Ingestor);
        builder.Services.AddSingleton(config.Parser);
        builder.Services.AddSingleton(config.Webserver);
        builder.Services.AddSingleton(config.Prometheus);

        ConfigureLogging(builder.Logging, launch.Logging);

        builder.Services.AddHealthChecks().AddReadinessCheck<LifetimeReadinessCheck>("lifetime");
        builder.Services.AddSingleton(_ => new ServiceMetrics());
        builder.Services.AddHostedService<MemoryTrimmer>();
        return builder;
    }

    /// <summary>The configuration <see cref="AddServiceDefaults"/> registered, for a service's own registration to read its keys.</summary>
    public static CertstreamConfig ServiceConfig(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Services.LastOrDefault(d => d.ServiceType == typeof(CertstreamConfig))?.ImplementationInstance as CertstreamConfig
            ?? throw new InvalidOperationException("call AddServiceDefaults(launch) before adding the service");
    }

    /// <summary>Listens on one IP address and port (the edge's <c>webserver.listen_addr:listen_port</c>).</summary>
    public static WebApplicationBuilder ListenOn(this WebApplicationBuilder builder, string address, int port)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var ip = IPAddress.Parse(address);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(ip, port));
        return builder;
    }

    /// <summary>
    /// The ingestor's and parser's metrics port: on <paramref name="address"/>, or on every address (IPv6 and IPv4) when it
    /// is "" (<c>metrics_addr</c>).
    /// </summary>
    public static WebApplicationBuilder ListenForMetrics(this WebApplicationBuilder builder, string address, int port)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (address.Length > 0) return builder.ListenOn(address, port);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ListenAnyIP(port));
        return builder;
    }

    /// <summary>Maps <c>/healthz</c>, <c>/readyz</c> and (when enabled) the Prometheus endpoint, and logs start and stop.</summary>
    public static WebApplication MapServiceDefaults(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var launch = app.Services.GetRequiredService<ServiceLaunch>();
        var config = launch.Config!;

        app.MapHealthChecks(LivenessPath, new HealthCheckOptions
        {
            Predicate = static _ => false,
            ResponseWriter = HealthResponseWriter.WriteAsync,
        });
        app.MapHealthChecks(ReadinessPath, new HealthCheckOptions
        {
            Predicate = static check => check.Tags.Contains(ReadinessChecks.Tag),
            ResponseWriter = HealthResponseWriter.WriteAsync,
        });
        if (config.Prometheus.Enabled)
        {
            var metrics = app.Services.GetRequiredService<ServiceMetrics>();
            if (config.Prometheus.Whitelist.Count > 0) RestrictMetrics(app, config.Prometheus, config.Webserver.TrustedProxies);
            // Text format 0.0.4 unless a scraper asks for OpenMetrics; prometheus-net writes it straight into the response.
            app.MapMetrics(settings => settings.Registry = metrics.Registry, config.Prometheus.MetricsUrl);
        }

        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Certstream." + launch.ServiceName);
        app.Lifetime.ApplicationStarted.Register(() =>
            logger.LogInformation("{Service} {Version} started, listening on {Addresses}, config {ConfigSource}",
                launch.ServiceName, ProductVersion.Current, string.Join(" ", app.Urls), launch.ConfigSource));
        app.Lifetime.ApplicationStopping.Register(() => logger.LogInformation("{Service} stopping", launch.ServiceName));
        app.Lifetime.ApplicationStopped.Register(() => logger.LogInformation("{Service} stopped", launch.ServiceName));
        return app;
    }

    /// <summary>
    /// <c>prometheus.whitelist</c>: the metrics path answers 403 to a connection from any other address. The connection's
    /// own address, not forwarding headers: a scraper connects directly, so a request that comes through one of the edge's
    /// <c>trusted_proxies</c> (anyone on the internet, behind an ingress) is refused whatever the list says. The health
    /// paths stay open (probes need them).
    /// </summary>
    private static void RestrictMetrics(WebApplication app, PrometheusOptions prometheus, ConfigList<IPNetwork> trustedProxies)
    {
        var path = new PathString(prometheus.MetricsUrl);
        var allowed = NetworkList.From(prometheus.Whitelist, "prometheus.whitelist");
        var proxies = NetworkList.From(trustedProxies, "webserver.trusted_proxies");
        app.Use(async (context, next) =>
        {
            var address = context.Connection.RemoteIpAddress;
            if (context.Request.Path.StartsWithSegments(path) && (address is null || proxies.Contains(address) || !allowed.Contains(address)))
            {
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                return;
            }
            await next(context);
        });
    }

    private static void ConfigureLogging(ILoggingBuilder logging, LogSettings settings)
    {
        logging.ClearProviders();
        logging.SetMinimumLevel(settings.Level);
        // Per-request and lifetime chatter from the framework is replaced by the service's own lines.
        var frameworkLevel = settings.Level < LogLevel.Information ? settings.Level : LogLevel.Warning;
        logging.AddFilter("Microsoft.AspNetCore", frameworkLevel);
        logging.AddFilter("Microsoft.Hosting.Lifetime", frameworkLevel);
        // NATS.Net's connection chatter (each attempt, the server's INFO): the connector logs the connection once itself.
        logging.AddFilter("NATS.Client", frameworkLevel);
        // An unready probe is an answer (/readyz says why), not an error of the service.
        logging.AddFilter("Microsoft.Extensions.Diagnostics.HealthChecks", settings.Level < LogLevel.Information ? settings.Level : LogLevel.Critical);
        if (settings.Json)
        {
            logging.AddJsonConsole(options =>
            {
                options.UseUtcTimestamp = true;
                options.TimestampFormat = TimestampFormat;
                options.IncludeScopes = false;
            });
        }
        else
        {
            logging.AddSimpleConsole(options =>
            {
                options.SingleLine = true;
                options.UseUtcTimestamp = true;
                options.TimestampFormat = TimestampFormat + " ";
                options.IncludeScopes = false;
                options.ColorBehavior = LoggerColorBehavior.Disabled;
            });
        }
        // Secrets never reach a log, at any level (SecretRedaction): the console provider is wrapped.
        var console = logging.Services.First(d => d.ServiceType == typeof(ILoggerProvider) && d.ImplementationType == typeof(ConsoleLoggerProvider));
        logging.Services.Remove(console);
        logging.Services.AddSingleton<ConsoleLoggerProvider>();
        logging.Services.AddSingleton<ILoggerProvider>(services => new RedactingLoggerProvider(services.GetRequiredService<ConsoleLoggerProvider>()));
    }
}
