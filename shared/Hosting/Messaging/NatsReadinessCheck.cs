using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Certstream.Hosting.Messaging;

/// <summary>Ready while the NATS connection is open (README: readiness = connected to NATS and subscribed).</summary>
internal sealed class NatsReadinessCheck(NatsConnector connector) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(connector.IsConnected
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Unhealthy($"NATS {connector.Connection.ConnectionState.ToString().ToLowerInvariant()}"));
}
