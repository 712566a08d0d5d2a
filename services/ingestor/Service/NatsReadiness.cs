using Certstream.Hosting.Messaging;

namespace Certstream.Ingestor.Service;

/// <summary>
/// The ingestor's part of <c>/readyz</c>: <c>CT_RAW</c> and the KV buckets ensured (readiness check "ct_raw"; the
/// connection itself is <c>AddNatsConnection</c>'s check "nats"). <see cref="IsReady"/> is both, for in-process use.
/// Until then (e.g. NATS unreachable at start) the service keeps retrying and reports not ready instead of exiting.
/// </summary>
internal sealed class NatsReadiness
{
    private volatile NatsConnector? _connector;

    public bool StreamsAreEnsured => _connector is not null;

    /// <summary>Connected to NATS and <c>CT_RAW</c> ensured.</summary>
    public bool IsReady => _connector is { IsConnected: true };

    public void StreamsEnsured(NatsConnector connector) => _connector = connector;

    public void Stopped() => _connector = null;
}
