using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Certstream.Edge;

/// <summary>Ready once the feed reads all three streams (from CT_HISTORY or core subscriptions) (README "WebSocket and HTTP API": connected to NATS and subscribed).</summary>
internal sealed class SubscriptionReadinessCheck(StreamFeed feed) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(feed.IsSubscribed ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy(feed.NotReadyReason));
}
