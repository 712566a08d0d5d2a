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
    public async Task<Fetched> GetAsync(string logKey, string endpoint, Uri uri, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, uri);
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            if (!response.IsSuccessStatusCode) return Classify(response);
            if (response.Content.Headers.ContentLength > maxResponseBytes)
                return Fetched.Failure(ErrorKind.Garbage, $"body of {response.Content.Headers.ContentLength} bytes is over the limit", response.StatusCode);
            var body = await ReadCappedAsync(response.Content, cancellationToken);
            return body is null
                ? Fetched.Failure(ErrorKind.Garbage, $"body over {maxResponseBytes} bytes", response.StatusCode)
                : Fetched.Success(body, response.StatusCode);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return Fetched.Failure(ErrorKind.Timeout, "request timed out");
        }
        catch (HttpRequestException e)
        {
            var kind = e.HttpRequestError switch
            {
                HttpRequestError.NameResolutionError => ErrorKind.Dns,
                HttpRequestError.SecureConnectionError => ErrorKind.Tls,
                _ => ErrorKind.Network,
            };
            return Fetched.Failure(kind, e.Message);
        }
        catch (IOException e)
        {
            return Fetched.Failure(ErrorKind.Network, e.Message);
        }
        catch (InvalidDataException e)
        {
            // A corrupt gzip body.
            return Fetched.Failure(ErrorKind.Garbage, e.Message);
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

    private async Task<byte[]?> ReadCappedAsync(HttpContent content, CancellationToken cancellationToken)
    {
        await using var stream = await content.ReadAsStreamAsync(cancellationToken);
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > maxResponseBytes) return null;
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }
}
