using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace Certstream.Hosting.Metrics;

public static class PrometheusExpositionServiceCollectionExtensions
{
    /// <summary>
    /// Registers the Prometheus exposition of System.Diagnostics.Metrics instruments as a singleton; serve it with
    /// <see cref="PrometheusEndpointExtensions.MapPrometheusMetrics"/>. Listening starts when it is first resolved
    /// (MapPrometheusMetrics does so), and measurements made before that are not counted. Calling this again is a no-op.
    /// </summary>
    public static IServiceCollection AddPrometheusExposition(this IServiceCollection services, Action<PrometheusExpositionOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = new PrometheusExpositionOptions();
        configure?.Invoke(options);
        services.TryAddSingleton(sp => new PrometheusExposition(options, sp.GetService<ILogger<PrometheusExposition>>()));
        return services;
    }
}
