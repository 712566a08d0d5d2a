using System.Net;
using System.Security.Cryptography.X509Certificates;
using Certstream.Hosting.Configuration;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace Certstream.Edge;

/// <summary>
/// The edge's web side: its services, its Kestrel listener and its routes. <see cref="EdgeRegistration.AddEdge"/> puts it
/// together with the NATS feed.
/// </summary>
internal static class EdgeServer
{
    /// <summary>
    /// Checks what only the edge knows about <paramref name="webserver"/> (the config loader has checked the rest;
    /// throws <see cref="ArgumentException"/> naming the key), registers the edge's services (<see cref="StreamHub"/>,
    /// limits, metrics, the keepalive monitor) and its Kestrel listener (<c>listen_addr</c>:<c>listen_port</c>, TLS
    /// from <c>cert_path</c>/<c>cert_key_path</c>).
    /// </summary>
    public static WebApplicationBuilder Build(WebApplicationBuilder builder, WebserverOptions webserver, PrometheusOptions prometheus, EdgeTuning? tuning = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(webserver);
        ArgumentNullException.ThrowIfNull(prometheus);
        StreamPaths.Validate(webserver, prometheus);
        var access = new AccessPolicy(webserver); // checks the CIDR lists and tokens now, so bad entries stop start-up
        var certificate = webserver.TlsEnabled ? LoadCertificate(webserver) : null;

        // The options checked here are the ones used, also where the service defaults registered the config's.
        builder.Services.Replace(ServiceDescriptor.Singleton(webserver));
        tuning ??= new EdgeTuning();
        builder.Services.AddSingleton(tuning);
        builder.Services.AddSingleton(access);
        builder.Services.AddSingleton<StreamHub>();
        builder.Services.AddSingleton<History>();
        builder.Services.AddSingleton(services => new ClientAdmission(webserver));
        builder.Services.AddSingleton<EdgeMetrics>();
        builder.Services.AddHostedService<SessionMonitor>();
        var blocks = new TrimmableBlockPoolFactory();
        builder.Services.AddSingleton<Microsoft.AspNetCore.Connections.IMemoryPoolFactory<byte>>(blocks);
        builder.Services.AddSingleton<Certstream.Hosting.Runtime.IMemoryReleaser>(blocks);

        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(IPAddress.Parse(webserver.ListenAddr), webserver.ListenPort, listen =>
            {
                if (certificate is not null) listen.UseHttps(certificate);
            });
        });
        builder.WebHost.UseSockets(sockets => sockets.MaxWriteBufferSize = tuning.SocketWriteBufferBytes);
        return builder;
    }

    /// <summary>
    /// Adds the edge's middleware (activity tracking, then ASP.NET Core's WebSockets: do not call UseWebSockets
    /// before this) and maps its routes. /healthz, /readyz and /metrics are the hosting library's.
    /// </summary>
    public static WebApplication MapEdge(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.Services.GetRequiredService<EdgeMetrics>(); // declare the metrics before the first scrape
        app.Use(ActivityTrackingFeatures.InvokeAsync);
        app.UseWebSockets();
        EdgeEndpoints.Map(app);
        return app;
    }

    /// <summary>Server certificate and any intermediates from PEM files.</summary>
    private static HttpsConnectionAdapterOptions LoadCertificate(WebserverOptions settings)
    {
        if (!File.Exists(settings.CertPath)) throw new ArgumentException($"webserver.cert_path: '{settings.CertPath}' does not exist");
        if (!File.Exists(settings.CertKeyPath)) throw new ArgumentException($"webserver.cert_key_path: '{settings.CertKeyPath}' does not exist");
        var leaf = X509Certificate2.CreateFromPemFile(settings.CertPath, settings.CertKeyPath);
        var all = new X509Certificate2Collection();
        all.ImportFromPemFile(settings.CertPath);
        var chain = new X509Certificate2Collection();
        foreach (var certificate in all)
        {
            if (certificate.Thumbprint != leaf.Thumbprint) chain.Add(certificate);
        }
        return new HttpsConnectionAdapterOptions { ServerCertificate = leaf, ServerCertificateChain = chain };
    }
}
