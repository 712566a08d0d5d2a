namespace Certstream.Nats;

/// <summary>The server sent <c>-ERR '...'</c> (§1.7). <see cref="ServerMessage"/> is the text without quotes.</summary>
public sealed class NatsServerErrorException : NatsException
{
    public NatsServerErrorException() { }
    public NatsServerErrorException(string message) : base(message) => ServerMessage = message;
    public NatsServerErrorException(string message, Exception inner) : base(message, inner) => ServerMessage = message;

    public string ServerMessage { get; } = "";

    /// <summary>Authorization Violation, Authentication Timeout, and the expired-credentials errors.</summary>
    public bool IsAuthError =>
        ServerMessage.StartsWith("authorization violation", StringComparison.OrdinalIgnoreCase)
        || ServerMessage.StartsWith("authentication", StringComparison.OrdinalIgnoreCase)
        || ServerMessage.StartsWith("user authentication", StringComparison.OrdinalIgnoreCase)
        || ServerMessage.StartsWith("account authentication", StringComparison.OrdinalIgnoreCase);
}
