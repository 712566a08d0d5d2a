namespace Certstream.Nats.JetStream;

internal sealed record SuccessResponse
{
    public bool Success { get; init; }
}
