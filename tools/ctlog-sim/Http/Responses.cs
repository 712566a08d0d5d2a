using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Certstream.CtLogSim.Logs;

namespace Certstream.CtLogSim.Http;

/// <summary>Writes bodies, applying the request's drawn fault (drop half-way, garbage instead of the body).</summary>
internal static class Responses
{
    /// <summary>Compact like CTFE; relaxed so base64 '+' and quotes in descriptions are not \u-escaped.</summary>
    public static readonly JsonWriterOptions Compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    public static readonly JsonWriterOptions Indented = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, Indented = true, IndentSize = 2 };

    public static byte[] Json(Action<Utf8JsonWriter> write, bool indented = false)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, indented ? Indented : Compact)) write(writer);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Handles the faults that replace the answer; returns false when the normal answer must not be sent.</summary>
    public static async Task<bool> BeforeAnswerAsync(HttpContext context, FaultKind kind, FaultOptions options, CancellationToken cancellationToken)
    {
        switch (kind)
        {
            case FaultKind.RateLimited:
                context.Response.Headers.RetryAfter = options.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
                await TextAsync(context, StatusCodes.Status429TooManyRequests, "Too Many Requests\n", cancellationToken).ConfigureAwait(false);
                return false;
            case FaultKind.RateLimitedWithoutRetryAfter:
                await TextAsync(context, StatusCodes.Status429TooManyRequests, "rate limit exceeded\n", cancellationToken).ConfigureAwait(false);
                return false;
            case FaultKind.ServerError:
                await TextAsync(context, StatusCodes.Status500InternalServerError, "internal error\n", cancellationToken).ConfigureAwait(false);
                return false;
            case FaultKind.Unavailable:
                context.Response.Headers.RetryAfter = options.RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
                await TextAsync(context, StatusCodes.Status503ServiceUnavailable, "service unavailable\n", cancellationToken).ConfigureAwait(false);
                return false;
            case FaultKind.Slow:
                // The simulated latency itself, not synchronization.
                await Task.Delay(options.SlowDelay, cancellationToken).ConfigureAwait(false);
                return true;
            default:
                return true;
        }
    }

    /// <summary>Writes the body (or its faulty version); true when the real body went out whole.</summary>
    public static async Task<bool> BodyAsync(HttpContext context, FaultKind kind, byte[] body, string contentType, SimulatedLog log, CancellationToken cancellationToken)
    {
        var response = context.Response;
        response.ContentType = contentType;
        if (kind == FaultKind.Garbage) body = Garbage(body, log);
        response.ContentLength = body.Length;
        if (kind == FaultKind.Dropped)
        {
            // Promise the whole body, send half, then reset: the client sees a broken connection mid-body.
            await response.Body.WriteAsync(body.AsMemory(0, body.Length / 2), cancellationToken).ConfigureAwait(false);
            await response.Body.FlushAsync(cancellationToken).ConfigureAwait(false);
            context.Abort();
            return false;
        }
        await response.Body.WriteAsync(body, cancellationToken).ConfigureAwait(false);
        return kind != FaultKind.Garbage;
    }

    public static Task TextAsync(HttpContext context, int status, string text, CancellationToken cancellationToken)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/plain; charset=utf-8";
        var bytes = Encoding.UTF8.GetBytes(text);
        context.Response.ContentLength = bytes.Length;
        return context.Response.Body.WriteAsync(bytes, cancellationToken).AsTask();
    }

    private static byte[] Garbage(byte[] body, SimulatedLog log) => log.Faults.NextInt(3) switch
    {
        0 => body.AsSpan(0, Math.Max(1, body.Length / 3)).ToArray(), // cut short, as by a broken proxy
        1 => "<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center></body></html>\n"u8.ToArray(),
        _ => "{\"entries\":[{\"leaf_input\":null,\"extra_data\":42}],\"tree_size\":\"NaN\""u8.ToArray(),
    };
}
