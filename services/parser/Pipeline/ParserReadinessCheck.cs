using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Certstream.Parser.Pipeline;

/// <summary><c>/readyz</c> (README "WebSocket and HTTP API", "Configuration"): ready while connected to NATS with the <c>parser</c> consumer bound.</summary>
internal sealed class ParserReadinessCheck(ParserService service) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(service.NotReadyReason is { } reason ? HealthCheckResult.Unhealthy(reason) : HealthCheckResult.Healthy());
}
