using System.Net;

namespace Certstream.Ingestor.Http;

/// <summary>The outcome of one GET: a body, or an error as a value (STYLE: errors are values at the edges).</summary>
internal readonly record struct Fetched(ErrorKind Error, byte[]? Body, HttpStatusCode? Status, TimeSpan? RetryAfter, string Detail)
{
    public bool Ok => Error == ErrorKind.None;

    public static Fetched Success(byte[] body, HttpStatusCode status) => new(ErrorKind.None, body, status, null, "");

    public static Fetched Failure(ErrorKind error, string detail, HttpStatusCode? status = null, TimeSpan? retryAfter = null) =>
        new(error, null, status, retryAfter, detail);
}
