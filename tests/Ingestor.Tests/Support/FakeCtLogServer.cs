using System.Collections.Concurrent;
using System.Globalization;
using System.IO.Compression;
using System.Text;
using Certstream.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Certstream.Ingestor.Tests.Support;

/// <summary>
/// A small Kestrel app on a free port serving fake CT logs over real HTTP: RFC 6962 logs under
/// <c>/logs/&lt;name&gt;/</c>, static-ct logs under <c>/tiled/&lt;name&gt;/</c> and a log list at <c>/log_list.json</c>.
/// </summary>
internal sealed class FakeCtLogServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, FakeRfc6962Log> _rfc6962 = new();
    private readonly ConcurrentDictionary<string, FakeTiledLog> _tiled = new();
    private volatile string _logList = "{}";

    private FakeCtLogServer(WebApplication app, int port)
    {
        _app = app;
        BaseUrl = $"http://127.0.0.1:{port}/";
    }

    public string BaseUrl { get; }

    /// <summary>The User-Agent of every request.</summary>
    public ConcurrentQueue<string> UserAgents { get; } = new();

    /// <summary>Every request's path and User-Agent.</summary>
    public ConcurrentQueue<(string Path, string UserAgent)> Requests { get; } = new();

    public string LogList
    {
        get => _logList;
        set => _logList = value;
    }

    public string UrlOf(FakeRfc6962Log log) => $"{BaseUrl}logs/{log.Name}/";

    public string UrlOf(FakeTiledLog log) => $"{BaseUrl}tiled/{log.Name}/";

    public FakeRfc6962Log Add(FakeRfc6962Log log) => _rfc6962[log.Name] = log;

    public FakeTiledLog Add(FakeTiledLog log) => _tiled[log.Name] = log;

    public static async Task<FakeCtLogServer> StartAsync()
    {
        var port = FreePort.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        var app = builder.Build();
        var server = new FakeCtLogServer(app, port);
        app.Use((context, next) =>
        {
            server.UserAgents.Enqueue(context.Request.Headers.UserAgent.ToString());
            server.Requests.Enqueue((context.Request.Path.Value ?? "", context.Request.Headers.UserAgent.ToString()));
            return next(context);
        });
        app.MapGet("/log_list.json", () => Results.Text(server._logList, "application/json"));
        app.MapGet("/logs/{name}/ct/v1/get-sth", (string name) => server.GetSth(name));
        app.MapGet("/logs/{name}/ct/v1/get-entries", (string name, HttpContext context) => server.GetEntriesAsync(name, context));
        app.MapGet("/tiled/{name}/checkpoint", (string name) => server.Checkpoint(name));
        app.MapGet("/tiled/{name}/tile/data/{**path}", (string name, string path, HttpContext context) => server.DataTile(name, path, context));
        app.MapGet("/tiled/{name}/issuer/{fingerprint}", (string name, string fingerprint) => server.Issuer(name, fingerprint));
        await app.StartAsync();
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private IResult GetSth(string name)
    {
        if (!_rfc6962.TryGetValue(name, out var log)) return Results.NotFound();
        log.SthRequests.Increment();
        if (log.Down) return Results.NotFound();
        var body = string.Create(CultureInfo.InvariantCulture,
            $"{{\"tree_size\":{log.TreeSize},\"timestamp\":1791095073447,\"sha256_root_hash\":\"62+t2XxLmSqJnk7pxUna6EVA7+u+dotyl8q6wojifD8=\",\"tree_head_signature\":\"BAMARzBFAiAOhTncRJL5E4FfPVNWRYhsEeGThRG21r4e5gOi1yK0WwIhAM/2qDFMO5uJhZ/mK17c1YcSK3vIjbE9qTTc/V5z4aTu\"}}");
        return Results.Text(body, "application/json");
    }

    private int _entriesInFlight;
    private int _maxEntriesInFlight;

    /// <summary>The most get-entries requests (all logs) this server was answering at the same time.</summary>
    public int MaxEntriesInFlight => Volatile.Read(ref _maxEntriesInFlight);

    private async Task<IResult> GetEntriesAsync(string name, HttpContext context)
    {
        var inFlight = Interlocked.Increment(ref _entriesInFlight);
        for (var max = Volatile.Read(ref _maxEntriesInFlight); inFlight > max; max = Volatile.Read(ref _maxEntriesInFlight))
            Interlocked.CompareExchange(ref _maxEntriesInFlight, inFlight, max);
        try
        {
            return await AnswerEntriesAsync(name, context);
        }
        finally
        {
            Interlocked.Decrement(ref _entriesInFlight);
        }
    }

    private async Task<IResult> AnswerEntriesAsync(string name, HttpContext context)
    {
        if (!_rfc6962.TryGetValue(name, out var log) || log.Down) return Results.NotFound();
        var now = DateTimeOffset.UtcNow;
        var treeSize = log.TreeSize;
        var parsed = ulong.TryParse(context.Request.Query["start"], out var start) & ulong.TryParse(context.Request.Query["end"], out var end);
        if (!parsed || start > end || start >= treeSize)
        {
            log.EntriesRequests.Enqueue((now, start, end, "400"));
            return Results.BadRequest("need tree size");
        }
        if (log.EntriesDelay > TimeSpan.Zero) await Task.Delay(log.EntriesDelay, context.RequestAborted);
        await log.EntriesHeld.WaitAsync(context.RequestAborted);
        var fault = log.NextFault();
        log.EntriesRequests.Enqueue((now, start, end, fault?.ToString() ?? "ok"));

        if (fault is { Kind: FaultKind.Status })
        {
            if (fault.RetryAfter is not null) context.Response.Headers.RetryAfter = fault.RetryAfter;
            return Results.StatusCode(fault.StatusCode);
        }
        if (fault is { Kind: FaultKind.Stall })
        {
            try
            {
                await Task.Delay(TimeSpan.FromSeconds(10), context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                return Results.Empty;
            }
        }
        if (fault is { Kind: FaultKind.Garbage }) return Results.Text("<html><body>502 Bad Gateway</body></html>", "text/html");

        var last = Math.Min(end, treeSize - 1);
        var count = Math.Min(last - start + 1, (ulong)log.Cap);
        if (log.Aligned) count = Math.Min(count, (ulong)log.Cap - (start % (ulong)log.Cap));
        if (fault is { Kind: FaultKind.Short }) count = Math.Min(count, (ulong)fault.Count);

        var json = new StringBuilder("{\"entries\":[");
        var extra = Convert.ToBase64String(FakeRfc6962Log.ExtraData);
        for (var i = 0UL; i < count; i++)
        {
            var leaf = FakeRfc6962Log.LeafFor(start + i);
            if (i == 0 && fault is { Kind: FaultKind.MalformedEntry }) leaf = leaf[..40];
            if (i > 0) json.Append(',');
            json.Append("{\"leaf_input\":\"").Append(Convert.ToBase64String(leaf)).Append("\",\"extra_data\":\"").Append(extra).Append("\"}");
        }
        json.Append("]}");
        var text = json.ToString();
        if (fault is { Kind: FaultKind.TruncatedJson }) text = text[..(text.Length / 2)];
        return Results.Text(text, "application/json");
    }

    private IResult Checkpoint(string name)
    {
        if (!_tiled.TryGetValue(name, out var log)) return Results.NotFound();
        log.CheckpointRequests.Increment();
        // Shape of a real note (c2sp.org/static-ct-api, c2sp.org/tlog-checkpoint); the follower does not verify signatures.
        var note = string.Create(CultureInfo.InvariantCulture,
            $"fake.example/{name}\n{log.TreeSize}\nEMfGG85uIddeOXt5/wdQGP3IQd0COCqoLg9Q6CsPLJA=\n\n\u2014 fake.example/{name} k6eK4AAAAaEUmZpEBAMARzBF\n");
        return Results.Text(note, "text/plain; charset=utf-8");
    }

    private IResult DataTile(string name, string path, HttpContext context)
    {
        if (!_tiled.TryGetValue(name, out var log)) return Results.NotFound();
        var tile = log.Tile(path);
        if (tile is null) return Results.NotFound();
        if (!log.Gzip) return Results.Bytes(tile, "application/octet-stream");
        // Static-ct logs gzip tiles at the HTTP layer, asked or not (c2sp.org/static-ct-api data tiles).
        using var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.Fastest, leaveOpen: true)) gzip.Write(tile);
        context.Response.Headers.ContentEncoding = "gzip";
        return Results.Bytes(compressed.ToArray(), "application/octet-stream");
    }

    private IResult Issuer(string name, string fingerprint)
    {
        if (!_tiled.TryGetValue(name, out var log)) return Results.NotFound();
        log.IssuerRequests.Enqueue(fingerprint);
        return log.Issuers.TryGetValue(fingerprint, out var der) ? Results.Bytes(der, "application/pkix-cert") : Results.NotFound();
    }
}
