namespace Certstream.Nats.JetStream;

/// <summary>The <c>error</c> object of an API response; the envelope lets every reply be checked before it is typed.</summary>
internal sealed record ApiError
{
    public int Code { get; init; }
    public int ErrCode { get; init; }
    public string Description { get; init; } = "";
}
