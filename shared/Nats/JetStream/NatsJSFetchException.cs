namespace Certstream.Nats.JetStream;

/// <summary>A pull request ended with a terminal status (400, 409 Consumer Deleted, 409 Consumer is push based, …; §3.7).</summary>
public sealed class NatsJSFetchException : NatsException
{
    public NatsJSFetchException() : base("The pull request failed") { }
    public NatsJSFetchException(string message) : base(message) { }
    public NatsJSFetchException(string message, Exception inner) : base(message, inner) { }

    public NatsJSFetchException(int statusCode, string? description)
        : base($"Pull request ended with status {statusCode} {description}")
    {
        StatusCode = statusCode;
        StatusDescription = description;
    }

    public int StatusCode { get; }

    public string? StatusDescription { get; }
}
