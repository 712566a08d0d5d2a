using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;

namespace Certstream.Ingestor.Http;

/// <summary>
/// GETs from CT logs over the shared client: measures latency, caps the body size, and turns every
/// failure into a <see cref="Fetched"/> value. Only cancellation of the caller's token throws.
/// </summary>
internal sealed class LogHttp(HttpClient client, IngestorMetrics metrics, TimeProvider time, int maxResponseBytes)
{
    /// <summary>The body as one array (small answers: tree heads, checkpoints, tiles, the log list).</summary>
    public async Task<Fetched> GetAsync(string logKey, string endpoint, Uri uri, CancellationToken cancellationToken)
    {
        var (fetched, body) = await GetPooledAsync(logKey, endpoint, uri, cancellationToken);
        using (body)
        {
            return body is null ? fetched : Fetched.Success(body.ToArray(), fetched.Status!.Value);
        }
    }

    /// <summary>
    /// The body in pooled chunks, for large answers (get-entries): on success <see cref="Fetched.Body"/> is null and the
    /// caller owns <c>Body</c> (disposes it); on failure <c>Body</c> is null.
    /// </summary>
    public async Task<(Fetched Fetched, ResponseBody? Body)> GetPooledAsync(string logKey, string endpoint, Uri uri, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        // HttpClient.Timeout ends at the response headers (ResponseHeadersRead); a log that stalls in the middle of a body
        // must time out too, so the same bound covers the whole exchange.
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (client.Timeout != Timeout.InfiniteTimeSpan) deadline.CancelAfter(client.Timeout);
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, uri);
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, deadline.Token);
            if (!response.IsSuccessStatusCode) return (Classify(response), null);
            if (response.Content.Headers.ContentLength > maxResponseBytes)
                return (Fetched.Failure(ErrorKind.Garbage, $"body of {response.Content.Headers.ContentLength} bytes is over the limit", response.StatusCode), null);
            await using var stream = await response.Content.ReadAsStreamAsync(deadline.Token);
            var body = await ResponseBody.ReadAsync(stream, maxResponseBytes, deadline.Token);
            return body is null
                ? (Fetched.Failure(ErrorKind.Garbage, $"body over {maxResponseBytes} bytes", response.StatusCode), null)
                : (new Fetched(ErrorKind.None, null, response.StatusCode, null, ""), body);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (Fetched.Failure(ErrorKind.Timeout, "request timed out"), null);
        }
        catch (HttpRequestException e)
        {
            var kind = e.HttpRequestError switch
            {
                HttpRequestError.NameResolutionError => ErrorKind.Dns,
                HttpRequestError.SecureConnectionError => ErrorKind.Tls,
                _ => ErrorKind.Network,
            };
            return (Fetched.Failure(kind, e.Message), null);
        }
        catch (IOException e)
        {
            return (Fetched.Failure(ErrorKind.Network, e.Message), null);
        }
        catch (InvalidDataException e)
        {
            // A corrupt gzip body.
            return (Fetched.Failure(ErrorKind.Garbage, e.Message), null);
        }
        finally
        {
            metrics.RecordRequest(logKey, endpoint, Stopwatch.GetElapsedTime(started));
        }
    }

    private Fetched Classify(HttpResponseMessage response)
    {
        var status = response.StatusCode;
        var retryAfter = RetryAfter.Parse(RawHeader(response.Headers, "Retry-After"), time.GetUtcNow());
        var detail = $"HTTP {(int)status}";
        return (int)status switch
        {
            429 => Fetched.Failure(ErrorKind.RateLimited, detail, status, retryAfter),
            503 when retryAfter is not null => Fetched.Failure(ErrorKind.RateLimited, detail, status, retryAfter),
            404 => Fetched.Failure(ErrorKind.NotFound, detail, status),
            >= 500 => Fetched.Failure(ErrorKind.ServerError, detail, status, retryAfter),
            _ => Fetched.Failure(ErrorKind.ClientError, detail, status, retryAfter),
        };
    }

    private static string? RawHeader(HttpResponseHeaders headers, string name) =>
        headers.TryGetValues(name, out var values) ? values.FirstOrDefault() : null;
}
