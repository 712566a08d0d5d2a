using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Certstream.Hosting.Metrics;

public static class PrometheusEndpointExtensions
{
    /// <summary>
    /// Serves the process's System.Diagnostics.Metrics instruments in Prometheus text format 0.0.4 on GET
    /// <paramref name="path"/>. Needs <see cref="PrometheusExpositionServiceCollectionExtensions.AddPrometheusExposition"/>;
    /// resolving the exposition here starts its listener before the app takes traffic.
    /// </summary>
    public static IEndpointConventionBuilder MapPrometheusMetrics(this IEndpointRouteBuilder endpoints, string path)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var exposition = endpoints.ServiceProvider.GetService<PrometheusExposition>()
            ?? throw new InvalidOperationException(
                "MapPrometheusMetrics needs the exposition registered: call services.AddPrometheusExposition() first.");
        return endpoints.MapGet(path, (HttpContext context) => ServeAsync(context, exposition));
    }

    private static async Task ServeAsync(HttpContext context, PrometheusExposition exposition)
    {
        context.Response.ContentType = PrometheusExposition.ContentType;
        // Written straight into the response pipe's pooled buffers, then sent in one flush.
        exposition.WriteTo(context.Response.BodyWriter);
        await context.Response.BodyWriter.FlushAsync(context.RequestAborted);
    }
}
