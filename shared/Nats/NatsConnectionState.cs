namespace Certstream.Nats;

public enum NatsConnectionState
{
    Closed,
    Connecting,
    Open,
    Reconnecting,
}
