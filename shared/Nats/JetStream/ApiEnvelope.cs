namespace Certstream.Nats.JetStream;

internal sealed record ApiEnvelope
{
    public ApiError? Error { get; init; }
}
