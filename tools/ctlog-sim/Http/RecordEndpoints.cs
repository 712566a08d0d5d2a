using System.Globalization;
using Certstream.CtLogSim.Logs;

namespace Certstream.CtLogSim.Http;

/// <summary>/_sim/: the record and controls for out-of-process tests and benchmarks.</summary>
internal static class RecordEndpoints
{
    private const int MaxRecordBatch = 10_000;

    public static void Map(WebApplication app, CtLogSimulator sim)
    {
        app.MapGet("/_sim/logs", context => LogsAsync(context, sim));
        app.MapGet("/_sim/record/{log}", context => RecordAsync(context, sim));
        app.MapGet("/_sim/faults/{log}", context => FaultsAsync(context, sim));
        app.MapPost("/_sim/append/{log}", context => AppendAsync(context, sim));
        app.MapPost("/_sim/misbehave/{log}", context => MisbehaveAsync(context, sim));
    }

    /// <summary>
    /// <c>?bad_signature=true|false</c> serves heads whose signature does not verify (or stops it); <c>?fork=true</c> from now on serves
    /// a tree whose leaf 0 differs (heads, hash tiles and proofs), so the next head is inconsistent with the earlier ones;
    /// <c>?no_proofs=true|false</c> answers 404 to get-sth-consistency and hash tiles (or stops).
    /// </summary>
    private static async Task MisbehaveAsync(HttpContext context, CtLogSimulator sim)
    {
        var name = (string)context.GetRouteValue("log")!;
        if (!sim.Record.LogNames.Contains(name))
        {
            await Responses.TextAsync(context, 404, "no such log\n", context.RequestAborted).ConfigureAwait(false);
            return;
        }
        var badSignature = context.Request.Query["bad_signature"].ToString();
        var fork = context.Request.Query["fork"].ToString();
        var noProofs = context.Request.Query["no_proofs"].ToString();
        if (badSignature is not ("" or "true" or "false") || fork is not ("" or "true") || noProofs is not ("" or "true" or "false"))
        {
            await Responses.TextAsync(context, 400, "expected bad_signature=true|false, fork=true and/or no_proofs=true|false\n", context.RequestAborted).ConfigureAwait(false);
            return;
        }
        if (badSignature.Length > 0) sim.SetBadSignature(name, badSignature == "true");
        if (noProofs.Length > 0) sim.SetNoProofs(name, noProofs == "true");
        if (fork == "true") sim.Fork(name);
        var log = sim.Find(name);
        await WriteAsync(context, Responses.Json(w =>
        {
            w.WriteStartObject();
            w.WriteBoolean("bad_signature", log.BadSignature);
            w.WriteBoolean("forked", log.Forked);
            w.WriteBoolean("no_proofs", log.NoProofs);
            w.WriteEndObject();
        })).ConfigureAwait(false);
    }

    private static Task LogsAsync(HttpContext context, CtLogSimulator sim)
    {
        var body = Responses.Json(w =>
        {
            w.WriteStartArray();
            foreach (var log in sim.Logs)
            {
                w.WriteStartObject();
                w.WriteString("name", log.Name);
                w.WriteString("kind", log.Kind == LogKind.Rfc6962 ? "rfc6962" : "static-ct");
                w.WriteString("url", log.Url.ToString());
                w.WriteNumber("batch_cap", log.BatchCap);
                w.WriteString("operator", log.Operator);
                w.WriteString("state", log.State);
                w.WriteString("log_id", log.LogId);
                w.WriteString("key", log.Key);
                if (log.Origin is not null) w.WriteString("origin", log.Origin);
                w.WriteNumber("tree_size", sim.Record.TreeSize(log.Name));
                w.WriteEndObject();
            }
            w.WriteEndArray();
        });
        return WriteAsync(context, body);
    }

    private static Task RecordAsync(HttpContext context, CtLogSimulator sim)
    {
        var name = (string)context.GetRouteValue("log")!;
        if (!sim.Record.LogNames.Contains(name)) return Responses.TextAsync(context, 404, "no such log\n", context.RequestAborted);
        var size = sim.Record.TreeSize(name);
        var start = Query(context, "start") ?? 0;
        var end = Math.Min(Query(context, "end") ?? size - 1, start + MaxRecordBatch - 1);
        var entries = sim.Record.Entries(name, start, end);
        var body = Responses.Json(w =>
        {
            w.WriteStartObject();
            w.WriteString("log", name);
            w.WriteNumber("tree_size", size);
            w.WriteStartArray("entries");
            foreach (var e in entries)
            {
                var f = e.Facts;
                w.WriteStartObject();
                w.WriteNumber("index", e.Index);
                w.WriteString("type", e.Type);
                w.WriteNumber("timestamp", e.Timestamp);
                w.WriteBase64String("leaf_input", e.LeafInput);
                w.WriteBase64String("extra_data", e.ExtraData);
                if (e.TileLeaf is not null) w.WriteBase64String("tile_leaf", e.TileLeaf);
                w.WriteBase64String("leaf_hash", e.LeafHash);
                w.WriteString("serial_number", f.SerialNumber);
                w.WriteString("sha256", f.Sha256);
                w.WriteString("issuer_sha256", e.IssuerSha256);
                w.WriteString("issuer_cn", f.IssuerCommonName);
                if (f.SubjectCommonName is null) w.WriteNull("subject_cn");
                else w.WriteString("subject_cn", f.SubjectCommonName);
                SimEndpoints.WriteStringArray(w, "dns_names", f.DnsNames);
                SimEndpoints.WriteStringArray(w, "ip_addresses", f.IpAddresses);
                SimEndpoints.WriteStringArray(w, "email_addresses", f.EmailAddresses);
                SimEndpoints.WriteStringArray(w, "uris", f.Uris);
                SimEndpoints.WriteStringArray(w, "policies", f.PolicyOids);
                w.WriteNumber("not_before", f.NotBefore.ToUnixTimeSeconds());
                w.WriteNumber("not_after", f.NotAfter.ToUnixTimeSeconds());
                w.WriteString("key_algorithm", f.KeyAlgorithm);
                w.WriteNumber("served", e.Served);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        });
        return WriteAsync(context, body);
    }

    private static Task FaultsAsync(HttpContext context, CtLogSimulator sim)
    {
        var name = (string)context.GetRouteValue("log")!;
        if (!sim.Record.LogNames.Contains(name)) return Responses.TextAsync(context, 404, "no such log\n", context.RequestAborted);
        var body = Responses.Json(w =>
        {
            w.WriteStartObject();
            w.WriteNumber("requests", sim.Record.Requests(name));
            w.WriteStartObject("faults");
            foreach (var (kind, count) in sim.Record.Faults(name)) w.WriteNumber(kind.ToString(), count);
            w.WriteEndObject();
            w.WriteEndObject();
        });
        return WriteAsync(context, body);
    }

    private static async Task AppendAsync(HttpContext context, CtLogSimulator sim)
    {
        var name = (string)context.GetRouteValue("log")!;
        if (!sim.Record.LogNames.Contains(name))
        {
            await Responses.TextAsync(context, 404, "no such log\n", context.RequestAborted).ConfigureAwait(false);
            return;
        }
        var count = Query(context, "count") ?? 1;
        await sim.AppendAsync(name, count, context.RequestAborted).ConfigureAwait(false);
        await WriteAsync(context, Responses.Json(w =>
        {
            w.WriteStartObject();
            w.WriteNumber("tree_size", sim.Record.TreeSize(name));
            w.WriteEndObject();
        })).ConfigureAwait(false);
    }

    private static long? Query(HttpContext context, string name) =>
        long.TryParse(context.Request.Query[name].ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v : null;

    private static Task WriteAsync(HttpContext context, byte[] body)
    {
        context.Response.ContentType = "application/json";
        context.Response.ContentLength = body.Length;
        return context.Response.Body.WriteAsync(body, context.RequestAborted).AsTask();
    }
}
