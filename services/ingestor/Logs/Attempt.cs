using Certstream.Ingestor.Http;

namespace Certstream.Ingestor.Logs;

/// <summary>One try at something a follower retries: a value, or an error with an optional Retry-After.</summary>
internal readonly record struct Attempt<T>(T? Value, ErrorKind Error, string Detail, TimeSpan? RetryAfter)
{
    public bool Ok => Error == ErrorKind.None;

    public static Attempt<T> Success(T value) => new(value, ErrorKind.None, "", null);

    public static Attempt<T> Failure(ErrorKind error, string detail, TimeSpan? retryAfter = null) => new(default, error, detail, retryAfter);

    public static Attempt<T> Failure(Fetched fetched) => new(default, fetched.Error, fetched.Detail, fetched.RetryAfter);
}
