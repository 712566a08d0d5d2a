using Certstream.Nats;

namespace Certstream.Ingestor.Service;

/// <summary>
/// <c>/readyz</c> of the ingestor: connected to NATS and <c>CT_RAW</c> ensured. Until then (e.g. NATS unreachable at
/// start) the service keeps retrying and reports not ready instead of exiting.
/// </summary>
internal sealed class NatsReadiness
{
    private volatile INatsConnection? _connection;
    private volatile bool _streamsEnsured;

    public bool IsReady => _streamsEnsured && _connection is { State: NatsConnectionState.Open };

    public string Reason => _connection is not { State: NatsConnectionState.Open } ? "not connected to NATS" : "CT_RAW not ensured yet";

    public void Connected(INatsConnection connection) => _connection = connection;

    public void StreamsEnsured() => _streamsEnsured = true;

    public void Stopped()
    {
        _streamsEnsured = false;
        _connection = null;
    }
}
