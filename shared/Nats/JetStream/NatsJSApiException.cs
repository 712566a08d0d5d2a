namespace Certstream.Nats.JetStream;

/// <summary>A JetStream API error body (§3.1): <see cref="Code"/> is HTTP-like, <see cref="ErrCode"/> the JetStream code (§3.10).</summary>
public sealed class NatsJSApiException : NatsException
{
    public NatsJSApiException() { }
    public NatsJSApiException(string message) : base(message) { }
    public NatsJSApiException(string message, Exception inner) : base(message, inner) { }

    public NatsJSApiException(int code, int errCode, string description)
        : base($"JetStream API error {code}/{errCode}: {description}")
    {
        Code = code;
        ErrCode = errCode;
        Description = description;
    }

    public int Code { get; }
    public int ErrCode { get; }
    public string Description { get; } = "";
}
