using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Certstream.Hosting.Health;

/// <summary>
/// Registers checks that <c>/readyz</c> runs (e.g. "connected to NATS and subscribed", README "WebSocket and HTTP API").
/// <c>/healthz</c> runs none: it answers while the process serves requests.
/// </summary>
public static class ReadinessChecks
{
    /// <summary>The tag that puts a health check behind <c>/readyz</c>.</summary>
    public const string Tag = "ready";

    /// <summary>Adds <typeparamref name="T"/> (resolved from DI) as a readiness check.</summary>
    public static IHealthChecksBuilder AddReadinessCheck<[DynamicallyAccessedMembers(DynamicallyAccessedMemberTypes.PublicConstructors)] T>(this IHealthChecksBuilder builder, string name)
        where T : class, IHealthCheck =>
        builder.AddCheck<T>(name, HealthStatus.Unhealthy, [Tag]);

    /// <summary>Adds a readiness check from a condition; <paramref name="notReadyReason"/> is shown while it is false.</summary>
    public static IHealthChecksBuilder AddReadinessCheck(this IHealthChecksBuilder builder, string name, Func<bool> isReady, string notReadyReason) =>
        builder.AddCheck(name, () => isReady() ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy(notReadyReason), [Tag]);

    /// <summary>Adds a readiness check from a condition on the app's services; <paramref name="notReadyReason"/> is shown while it is false.</summary>
    public static IHealthChecksBuilder AddReadinessCheck(this IHealthChecksBuilder builder, string name, Func<IServiceProvider, bool> isReady, string notReadyReason)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Add(new HealthCheckRegistration(name, services => new ConditionCheck(() => isReady(services), notReadyReason), HealthStatus.Unhealthy, [Tag]));
    }

    /// <summary>Adds a readiness check that names what is wrong: <paramref name="notReadyReason"/> gives null when ready, else one line.</summary>
    public static IHealthChecksBuilder AddReadinessCheck(this IHealthChecksBuilder builder, string name, Func<IServiceProvider, string?> notReadyReason)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Add(new HealthCheckRegistration(name, services => new ReasonCheck(() => notReadyReason(services)), HealthStatus.Unhealthy, [Tag]));
    }

    private sealed class ReasonCheck(Func<string?> notReadyReason) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
            Task.FromResult(notReadyReason() is { } reason ? HealthCheckResult.Unhealthy(reason) : HealthCheckResult.Healthy());
    }

    private sealed class ConditionCheck(Func<bool> isReady, string notReadyReason) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
            Task.FromResult(isReady() ? HealthCheckResult.Healthy() : HealthCheckResult.Unhealthy(notReadyReason));
    }
}
