using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Certstream.Hosting.Metrics;

public static class PrometheusEndpointExtensions
{
    /// <summary>Serves the process's System.Diagnostics.Metrics instruments in Prometheus text format 0.0.4.</summary>
    // Placeholder until the exposition lands (issue 1).
    public static IEndpointConventionBuilder MapPrometheusMetrics(this IEndpointRouteBuilder endpoints, string path) =>
        endpoints.MapGet(path, () => Results.Text("", "text/plain; version=0.0.4; charset=utf-8"));
}
