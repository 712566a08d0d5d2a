using Certstream.Hosting;
using Certstream.Hosting.Configuration;
using Certstream.Hosting.Metrics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Certstream.TestSupport;

/// <summary>
/// A service composed in-process exactly as its Program.cs composes it (<c>AddServiceDefaults</c>, the service's own
/// <c>AddX()</c>, <c>MapServiceDefaults</c>), with the configuration given in code, and started. Set the service's port
/// keys to 0 for a free port; <see cref="BaseUri"/> says which one it got.
/// </summary>
public sealed class InProcessService : IAsyncDisposable
{
    private bool _stopped;

    private InProcessService(WebApplication app)
    {
        App = app;
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        // Kestrel reports a wildcard listener as http://[::]:port; connect over loopback.
        BaseUri = new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal).Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal).TrimEnd('/') + "/");
    }

    public WebApplication App { get; }

    public IServiceProvider Services => App.Services;

    /// <summary><c>http(s)://127.0.0.1:port/</c> of the service's listener.</summary>
    public Uri BaseUri { get; }

    /// <summary>The service's prometheus-net registry, the one its <c>/metrics</c> serves.</summary>
    public ServiceMetrics Metrics => Services.GetRequiredService<ServiceMetrics>();

    public T Get<T>()
        where T : notnull => Services.GetRequiredService<T>();

    /// <param name="add">The service's registration, e.g. <c>b =&gt; b.AddParser(tuning)</c>; it may also add log providers.</param>
    /// <param name="map">The service's own routes before <c>MapServiceDefaults</c> (the edge's <c>MapEdge</c>).</param>
    public static async Task<InProcessService> StartAsync(string serviceName, CertstreamConfig config, Action<WebApplicationBuilder> add,
        Action<WebApplication>? map = null, LogLevel logLevel = LogLevel.Warning, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(add);
        var builder = WebApplication.CreateSlimBuilder();
        builder.AddServiceDefaults(ServiceLaunch.WithConfig(serviceName, config, logLevel));
        add(builder);
        var app = builder.Build();
        map?.Invoke(app);
        app.MapServiceDefaults();
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await app.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        return new InProcessService(app);
    }

    /// <summary>Stops as SIGTERM would: the hosted services in reverse order, within <paramref name="timeout"/> (default 30 s).</summary>
    public async Task StopAsync(TimeSpan? timeout = null)
    {
        if (_stopped) return;
        _stopped = true;
        using var bounded = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
        await App.StopAsync(bounded.Token).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        await App.DisposeAsync().ConfigureAwait(false);
    }
}
