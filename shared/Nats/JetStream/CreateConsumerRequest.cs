namespace Certstream.Nats.JetStream;

internal sealed record CreateConsumerRequest(string StreamName, NatsJSConsumerConfig Config);
