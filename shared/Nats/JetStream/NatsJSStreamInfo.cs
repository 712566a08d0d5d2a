namespace Certstream.Nats.JetStream;

public sealed record NatsJSStreamInfo
{
    public required NatsJSStreamConfig Config { get; init; }
    public NatsJSStreamState State { get; init; } = new();

    /// <summary>RFC 3339 with nanoseconds, kept as sent.</summary>
    public string? Created { get; init; }
}
