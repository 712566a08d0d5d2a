using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using Certstream.CtLogSim.Logs;
using Microsoft.Extensions.Primitives;

namespace Certstream.CtLogSim.Http;

/// <summary>The HTTP face: log list, RFC 6962 read API, static-ct-api monitoring API, and the /_sim/ test API.</summary>
internal static class SimEndpoints
{
    private const string JsonType = "application/json";

    public static void Map(WebApplication app, CtLogSimulator sim, CtLogSimOptions options)
    {
        app.MapGet("/log_list.json", context => LogListAsync(context, sim, options));
        app.MapGet("/{log}/ct/v1/get-sth", context => WithLog(context, sim, LogKind.Rfc6962, GetSthAsync));
        app.MapGet("/{log}/ct/v1/get-entries", context => WithLog(context, sim, LogKind.Rfc6962, GetEntriesAsync));
        app.MapGet("/{log}/ct/v1/get-sth-consistency", context => WithLog(context, sim, LogKind.Rfc6962, GetSthConsistencyAsync));
        // Static-ct logs serve get-roots on their submission prefix, which here is the same URL.
        app.MapGet("/{log}/ct/v1/get-roots", context => WithLog(context, sim, null, (c, l, ct) => GetRootsAsync(c, l, sim, ct)));
        app.MapGet("/{log}/checkpoint", context => WithLog(context, sim, LogKind.StaticCt, CheckpointAsync));
        app.MapGet("/{log}/tile/{**path}", context => WithLog(context, sim, LogKind.StaticCt, (c, l, ct) => TileAsync(c, l, options, ct)));
        app.MapGet("/{log}/issuer/{fingerprint}", context => WithLog(context, sim, LogKind.StaticCt, (c, l, ct) => IssuerAsync(c, l, sim, ct)));
        RecordEndpoints.Map(app, sim);
    }

    private static Task WithLog(HttpContext context, CtLogSimulator sim, LogKind? kind, Func<HttpContext, SimulatedLog, CancellationToken, Task> handler)
    {
        var name = (string?)context.GetRouteValue("log");
        var log = sim.AllLogs.FirstOrDefault(l => l.Name == name);
        if (log is null || (kind is { } k && log.Kind != k))
            return Responses.TextAsync(context, StatusCodes.Status404NotFound, "404 page not found\n", context.RequestAborted);
        return handler(context, log, context.RequestAborted);
    }

    private static async Task GetSthAsync(HttpContext context, SimulatedLog log, CancellationToken ct)
    {
        var (fault, faultOptions) = log.Faults.Next(allowTruncation: false, allowGarbage: true);
        if (!await Responses.BeforeAnswerAsync(context, fault, faultOptions, ct).ConfigureAwait(false)) return;
        var head = log.CurrentHead();
        var body = Responses.Json(w =>
        {
            w.WriteStartObject();
            w.WriteNumber("tree_size", head.TreeSize);
            w.WriteNumber("timestamp", head.Timestamp);
            w.WriteBase64String("sha256_root_hash", head.RootHash);
            w.WriteBase64String("tree_head_signature", head.Signature);
            w.WriteEndObject();
        });
        await Responses.BodyAsync(context, fault, body, JsonType, log, ct).ConfigureAwait(false);
    }

    private static async Task GetEntriesAsync(HttpContext context, SimulatedLog log, CancellationToken ct)
    {
        // CTFE validates the range before anything else, so bad requests are never rate-limited.
        if (!TryLong(context.Request.Query["start"], out var start) || !TryLong(context.Request.Query["end"], out var end) || start < 0 || end < start)
        {
            await Responses.TextAsync(context, StatusCodes.Status400BadRequest, "bad range: start and end must be integers with 0 <= start <= end\n", ct).ConfigureAwait(false);
            return;
        }
        var size = log.TreeSize;
        if (start >= size)
        {
            await Responses.TextAsync(context, StatusCodes.Status400BadRequest, $"need tree size: {start + 1} to get leaves but only got: {size}\n", ct).ConfigureAwait(false);
            return;
        }
        var (fault, faultOptions) = log.Faults.Next(allowTruncation: true, allowGarbage: true);
        if (!await Responses.BeforeAnswerAsync(context, fault, faultOptions, ct).ConfigureAwait(false)) return;

        // Trillian CTFE with align_getentries: a request for ≥ cap entries ends at the next multiple of the cap.
        var cap = log.BatchCap;
        if (end - start >= cap - 1) end = (start / cap + 1) * cap - 1; // (written so end = long.MaxValue cannot overflow)
        var entries = log.Entries(start, end);
        var full = entries.Length == end - start + 1;
        if (fault == FaultKind.Truncated && entries.Length > 1)
            entries = entries[..(1 + log.Faults.NextInt(entries.Length - 1))];

        var body = Responses.Json(w =>
        {
            w.WriteStartObject();
            w.WriteStartArray("entries");
            foreach (var e in entries)
            {
                w.WriteStartObject();
                w.WriteBase64String("leaf_input", e.LeafInput);
                w.WriteBase64String("extra_data", e.ExtraData());
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        });
        context.Response.Headers.CacheControl = full ? "public, max-age=86400" : "public, max-age=60";
        if (await Responses.BodyAsync(context, fault, body, JsonType, log, ct).ConfigureAwait(false))
            log.MarkServed(start, entries.Length);
    }

    private static async Task GetSthConsistencyAsync(HttpContext context, SimulatedLog log, CancellationToken ct)
    {
        if (log.NoProofs)
        {
            await Responses.TextAsync(context, StatusCodes.Status404NotFound, "404 page not found\n", ct).ConfigureAwait(false);
            return;
        }
        // Like CTFE: both sizes must be integers with first <= second <= the current tree size.
        var proof = TryLong(context.Request.Query["first"], out var first) && TryLong(context.Request.Query["second"], out var second)
            ? log.ConsistencyProof(first, second)
            : null;
        if (proof is null)
        {
            await Responses.TextAsync(context, StatusCodes.Status400BadRequest, "bad request: need 0 <= first <= second <= tree size\n", ct).ConfigureAwait(false);
            return;
        }
        var (fault, faultOptions) = log.Faults.Next(allowTruncation: false, allowGarbage: true);
        if (!await Responses.BeforeAnswerAsync(context, fault, faultOptions, ct).ConfigureAwait(false)) return;
        var body = Responses.Json(w =>
        {
            w.WriteStartObject();
            w.WriteStartArray("consistency");
            foreach (var node in proof) w.WriteBase64StringValue(node);
            w.WriteEndArray();
            w.WriteEndObject();
        });
        await Responses.BodyAsync(context, fault, body, JsonType, log, ct).ConfigureAwait(false);
    }

    private static async Task GetRootsAsync(HttpContext context, SimulatedLog log, CtLogSimulator sim, CancellationToken ct)
    {
        var (fault, faultOptions) = log.Faults.Next(allowTruncation: false, allowGarbage: true);
        if (!await Responses.BeforeAnswerAsync(context, fault, faultOptions, ct).ConfigureAwait(false)) return;
        var body = Responses.Json(w =>
        {
            w.WriteStartObject();
            w.WriteStartArray("certificates");
            foreach (var ca in sim.Authorities) w.WriteBase64StringValue(ca.RootDer);
            w.WriteEndArray();
            w.WriteEndObject();
        });
        await Responses.BodyAsync(context, fault, body, JsonType, log, ct).ConfigureAwait(false);
    }

    private static async Task CheckpointAsync(HttpContext context, SimulatedLog log, CancellationToken ct)
    {
        var (fault, faultOptions) = log.Faults.Next(allowTruncation: false, allowGarbage: true);
        if (!await Responses.BeforeAnswerAsync(context, fault, faultOptions, ct).ConfigureAwait(false)) return;
        context.Response.Headers.CacheControl = "no-store";
        var body = Encoding.UTF8.GetBytes(log.CurrentHead().Checkpoint);
        await Responses.BodyAsync(context, fault, body, "text/plain; charset=utf-8", log, ct).ConfigureAwait(false);
    }

    private static async Task TileAsync(HttpContext context, SimulatedLog log, CtLogSimOptions options, CancellationToken ct)
    {
        var path = (string?)context.GetRouteValue("path") ?? "";
        var data = path.StartsWith("data/", StringComparison.Ordinal);
        var level = 0;
        string? rest = null;
        if (data) rest = path[5..];
        else if (path.Length > 2 && path[1] == '/' && path[0] is >= '0' and <= '5')
        {
            level = path[0] - '0';
            rest = path[2..];
        }
        if (rest is null || !TilePath.TryParse(rest, out var index, out var width))
        {
            await Responses.TextAsync(context, StatusCodes.Status404NotFound, "not found\n", ct).ConfigureAwait(false);
            return;
        }

        byte[]? body;
        if (data)
        {
            var entries = log.DataTile(index, width);
            body = entries is null ? null : Concatenate(entries);
        }
        else
        {
            body = log.NoProofs ? null : log.HashTile(level, index, width);
        }
        if (body is null)
        {
            await Responses.TextAsync(context, StatusCodes.Status404NotFound, "not found\n", ct).ConfigureAwait(false);
            return;
        }

        var (fault, faultOptions) = log.Faults.Next(allowTruncation: false, allowGarbage: false);
        if (!await Responses.BeforeAnswerAsync(context, fault, faultOptions, ct).ConfigureAwait(false)) return;
        context.Response.Headers.CacheControl = "public, max-age=604800, immutable";
        if (data && options.GzipDataTiles && AcceptsGzip(context.Request))
        {
            body = Gzip(body);
            context.Response.Headers.ContentEncoding = "gzip";
        }
        if (await Responses.BodyAsync(context, fault, body, "application/octet-stream", log, ct).ConfigureAwait(false) && data)
            log.MarkServed(index * SimulatedLog.TileWidth, width == 0 ? SimulatedLog.TileWidth : width);
    }

    private static async Task IssuerAsync(HttpContext context, SimulatedLog log, CtLogSimulator sim, CancellationToken ct)
    {
        var fingerprint = (string?)context.GetRouteValue("fingerprint") ?? "";
        byte[]? der = null;
        foreach (var ca in sim.Authorities)
        {
            if (fingerprint == Convert.ToHexStringLower(ca.IntermediateSha256)) der = ca.IntermediateDer;
            else if (fingerprint == Convert.ToHexStringLower(ca.RootSha256)) der = ca.RootDer;
        }
        if (der is null)
        {
            await Responses.TextAsync(context, StatusCodes.Status404NotFound, "not found\n", ct).ConfigureAwait(false);
            return;
        }
        var (fault, faultOptions) = log.Faults.Next(allowTruncation: false, allowGarbage: false);
        if (!await Responses.BeforeAnswerAsync(context, fault, faultOptions, ct).ConfigureAwait(false)) return;
        context.Response.Headers.CacheControl = "public, max-age=604800, immutable";
        await Responses.BodyAsync(context, fault, der, "application/pkix-cert", log, ct).ConfigureAwait(false);
    }

    private static Task LogListAsync(HttpContext context, CtLogSimulator sim, CtLogSimOptions options)
    {
        var body = LogListDocument.Build(sim, options);
        context.Response.ContentType = JsonType;
        context.Response.ContentLength = body.Length;
        return context.Response.Body.WriteAsync(body, context.RequestAborted).AsTask();
    }

    private static byte[] Concatenate(LogEntry[] entries)
    {
        var body = new byte[entries.Sum(e => e.TileLeafLength)];
        var offset = 0;
        foreach (var e in entries)
        {
            e.WriteTileLeaf(body.AsSpan(offset));
            offset += e.TileLeafLength;
        }
        return body;
    }

    private static bool AcceptsGzip(HttpRequest request) =>
        request.Headers.AcceptEncoding.Any(v => v is not null && v.Contains("gzip", StringComparison.OrdinalIgnoreCase));

    private static byte[] Gzip(byte[] body)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest, leaveOpen: true)) gzip.Write(body);
        return output.ToArray();
    }

    private static bool TryLong(StringValues value, out long result) =>
        long.TryParse(value.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out result) && value.Count == 1;

    internal static void WriteStringArray(Utf8JsonWriter w, string name, IEnumerable<string> values)
    {
        w.WriteStartArray(name);
        foreach (var v in values) w.WriteStringValue(v);
        w.WriteEndArray();
    }
}
