namespace Certstream.Nats.JetStream;

/// <summary>
/// The JetStream API answered with <c>{"error":{"code","err_code","description"}}</c> (§3.1). <see cref="ErrCode"/> is the
/// stable identifier (§3.10), e.g. 10058 stream config conflict, 10059 stream not found, 10071 wrong last sequence.
/// </summary>
public class NatsJSApiException : NatsException
{
    public NatsJSApiException() : this(0, 0, "JetStream API error") { }

    public NatsJSApiException(string message) : this(0, 0, message) { }

    public NatsJSApiException(string message, Exception inner) : base(message, inner) => Description = message;

    public NatsJSApiException(int code, int errCode, string description)
        : base($"JetStream API error {code}/{errCode}: {description}")
    {
        Code = code;
        ErrCode = errCode;
        Description = description;
    }

    /// <summary>HTTP-like status, e.g. 400, 404, 503.</summary>
    public int Code { get; }

    /// <summary>JetStream error code (errors.json), e.g. 10071.</summary>
    public int ErrCode { get; }

    public string Description { get; }
}
