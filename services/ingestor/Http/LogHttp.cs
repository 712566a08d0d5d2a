using System.Buffers;
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
    // Under the 85 KB large-object threshold, so the pooled chunks live in the ordinary heap.
    private const int ChunkSize = 64 * 1024;

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

    /// <summary>
    /// Reads the body into pooled 64 KiB chunks, then copies it once into an array of its exact size: a get-entries answer
    /// of a few MB costs one large allocation instead of a doubling buffer's copies plus a final copy (large-object-heap churn).
    /// </summary>
    private async Task<byte[]?> ReadCappedAsync(HttpContent content, CancellationToken cancellationToken)
    {
        await using var stream = await content.ReadAsStreamAsync(cancellationToken);
        var chunks = new List<byte[]>();
        var length = 0L;
        try
        {
            while (true)
            {
                var chunk = ArrayPool<byte>.Shared.Rent(ChunkSize);
                chunks.Add(chunk);
                var filled = 0;
                int read;
                while (filled < chunk.Length && (read = await stream.ReadAsync(chunk.AsMemory(filled), cancellationToken)) > 0)
                {
                    filled += read;
                    if (length + filled > maxResponseBytes) return null;
                }
                length += filled;
                if (filled < chunk.Length) break;
            }
            var body = GC.AllocateUninitializedArray<byte>((int)length);
            var at = 0;
            foreach (var chunk in chunks)
            {
                var take = (int)Math.Min(chunk.Length, length - at);
                chunk.AsSpan(0, take).CopyTo(body.AsSpan(at));
                at += take;
            }
            return body;
        }
        finally
        {
            foreach (var chunk in chunks) ArrayPool<byte>.Shared.Return(chunk);
        }
    }
}
