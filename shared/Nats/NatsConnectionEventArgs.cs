namespace Certstream.Nats;

/// <summary>Connection lifecycle event: which server, and why (for disconnects and errors).</summary>
public sealed class NatsConnectionEventArgs(string? serverUrl, Exception? error) : EventArgs
{
    public string? ServerUrl { get; } = serverUrl;
    public Exception? Error { get; } = error;
}
