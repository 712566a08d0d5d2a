namespace Certstream.Nats.JetStream;

/// <summary>PubAck with its optional error in one parse (publishing is the hot JetStream path).</summary>
internal sealed record PubAckResponse
{
    public ApiError? Error { get; init; }
    public string Stream { get; init; } = "";
    public ulong Seq { get; init; }
    public bool Duplicate { get; init; }
}
