using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Certstream.Hosting.Configuration;

namespace Certstream.Edge;

/// <summary>The README "WebSocket and HTTP API" table: the three WebSocket streams, example.json, latest.json, /stats and the HTML page.</summary>
internal sealed class EdgeEndpoints
{
    private static readonly string[] StreamMethods = [HttpMethods.Get, HttpMethods.Connect];
    private static readonly byte[] NoCertificateYet = """{"error":"No certificate has been seen yet"}"""u8.ToArray();

    private readonly WebserverOptions _settings;
    private readonly EdgeTuning _tuning;
    private readonly StreamHub _hub;
    private readonly AccessPolicy _access;
    private readonly ClientAdmission _admission;
    private readonly EdgeMetrics _metrics;
    private readonly History _history;
    private readonly CancellationToken _stopping;
    private readonly ILogger _logger;
    private readonly byte[] _indexPage;

    private EdgeEndpoints(IServiceProvider services)
    {
        _settings = services.GetRequiredService<WebserverOptions>();
        _tuning = services.GetRequiredService<EdgeTuning>();
        _hub = services.GetRequiredService<StreamHub>();
        _access = services.GetRequiredService<AccessPolicy>();
        _admission = services.GetRequiredService<ClientAdmission>();
        _metrics = services.GetRequiredService<EdgeMetrics>();
        _history = services.GetRequiredService<History>();
        _stopping = services.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping;
        _logger = services.GetRequiredService<ILoggerFactory>().CreateLogger("Certstream.Edge");
        _indexPage = BuildIndexPage(_settings);
        if (_settings.RealIp && _settings.TrustedProxies.Count == 0)
            _logger.LogWarning("webserver.real_ip is on but webserver.trusted_proxies is empty: forwarding headers are ignored");
    }

    /// <summary>Maps every edge route (trailing slashes are matched by routing itself).</summary>
    public static void Map(WebApplication app)
    {
        var endpoints = new EdgeEndpoints(app.Services);
        var settings = endpoints._settings;
        var streams = new (string Path, StreamKind Kind)[]
        {
            (StreamPaths.Normalize(settings.LiteUrl), StreamKind.Lite),
            (StreamPaths.Normalize(settings.FullUrl), StreamKind.Full),
            (StreamPaths.Normalize(settings.DomainsOnlyUrl), StreamKind.Domains),
        };

        var examples = new Dictionary<string, StreamKind>(StringComparer.OrdinalIgnoreCase);
        foreach (var (path, kind) in streams)
        {
            // CONNECT: a WebSocket over HTTP/2 (RFC 8441) arrives as an extended CONNECT, not a GET.
            app.MapMethods(path, StreamMethods, context => endpoints.HandleStreamAsync(context, kind));
            examples[StreamPaths.Example(path)] = kind;
        }
        // README "WebSocket and HTTP API": /example.json is the lite example wherever the lite stream lives.
        examples.TryAdd("/example.json", StreamKind.Lite);
        foreach (var (path, kind) in examples)
            app.MapGet(path, context => endpoints.HandleExampleAsync(context, kind));

        app.MapGet("/sse", endpoints.HandleEventStreamAsync);
        app.MapGet("/latest.json", endpoints.HandleLatestAsync);
        app.MapGet("/stats", endpoints.HandleStatsAsync);
    }

    private async Task HandleStreamAsync(HttpContext context, StreamKind kind)
    {
        var client = _access.ClientAddress(context);
        if (!_access.IsAllowed(client))
        {
            Refuse(context, StatusCodes.Status403Forbidden, "forbidden");
            return;
        }
        var filter = ClientFilter.Parse(context.Request.Query, out var filterError);
        if (filterError is not null)
        {
            // Before the upgrade, so any client (and a browser) sees why.
            await RefuseAsync(context, StatusCodes.Status400BadRequest, "bad_filter", $"bad filter: {filterError}");
            return;
        }
        if (Handshake.Problem(context.Request) is { } problem)
        {
            // Asked for a WebSocket and got it wrong: told so (RFC 6455 §4.2.2), not given the page.
            if (problem.Status == StatusCodes.Status426UpgradeRequired) context.Response.Headers.SecWebSocketVersion = Handshake.Version;
            await RefuseAsync(context, problem.Status, "bad_handshake", problem.Reason);
            return;
        }
        if (!context.WebSockets.IsWebSocketRequest)
        {
            if (HttpMethods.IsConnect(context.Request.Method))
            {
                // A CONNECT that is not a WebSocket over HTTP/2 (RFC 8441): a response to CONNECT carries no body.
                Refuse(context, StatusCodes.Status405MethodNotAllowed, "bad_handshake");
                context.Response.Headers.Allow = HttpMethods.Get;
                return;
            }
            await WriteAsync(context, "text/html; charset=utf-8", _indexPage);
            return;
        }
        if (!AuthorizeAndAdmit(context, client)) return;

        try
        {
            // After the tokens and limits: a refused client causes no JetStream request.
            var resume = await CheckResumeAsync(context, kind, lastEventId: null);
            if (resume is { Problem: not null }) return;
            var activity = context.Features.Get<ClientActivity>()
                ?? throw new InvalidOperationException("MapEdge's activity tracking must run before the WebSockets middleware");
            using var socket = await context.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext
            {
                // Ping after ping_interval of inbound silence. The keep-alive timeout only backs up SessionMonitor,
                // which closes silent clients with 1008 at client_timeout; this one aborts without a close frame.
                KeepAliveInterval = _settings.PingInterval,
                KeepAliveTimeout = _settings.PingInterval > TimeSpan.Zero ? _settings.ClientTimeout + _settings.PingInterval : Timeout.InfiniteTimeSpan,
                DangerousEnableCompression = _settings.CompressionEnabled,
                // Per-client compression state would cost ~100s of KiB per client at 10,000 clients.
                DisableServerContextTakeover = true,
            });
            await RunSessionAsync(socket, kind, activity, filter, resume);
        }
        finally
        {
            _admission.Release(client);
        }
    }

    /// <summary>
    /// The resume a request asks for (README "Resume"): null without <c>since</c> (or <c>Last-Event-ID</c>); else the
    /// instant and what the history holds, or, when it cannot be served, a refusal already written (400 or 503, one line).
    /// </summary>
    private async Task<Resume?> CheckResumeAsync(HttpContext context, StreamKind kind, string? lastEventId)
    {
        var since = History.ParseSince(context.Request.Query, lastEventId, DateTimeOffset.UtcNow, out var sinceError);
        HistoryCheck check = default;
        if (since is { } instant && sinceError is null)
        {
            check = await _history.CheckAsync(kind, instant, context.RequestAborted);
            if (check.Problem is null) return new Resume(instant, check, null);
        }
        else if (sinceError is null)
        {
            return null;
        }
        if (!string.IsNullOrEmpty(lastEventId))
        {
            // An EventSource reconnecting on its own: refusing would end it for good (any answer but 200 does). It goes
            // live instead, told first that what it missed cannot be replayed.
            return new Resume(since ?? 0, check, null, Live: true);
        }
        var (status, problem) = sinceError is not null ? (StatusCodes.Status400BadRequest, sinceError) : (check.Status, check.Problem!);
        await RefuseAsync(context, status, status == StatusCodes.Status400BadRequest ? "bad_since" : "history_unavailable", problem);
        return new Resume(0, check, problem);
    }

    /// <param name="Live">The resume cannot be served and the client is not to be refused (an EventSource's Last-Event-ID): live, after a resume_gap.</param>
    private sealed record Resume(double Since, HistoryCheck Check, string? Problem, bool Live = false);

    /// <summary>
    /// <c>/sse?stream=lite|full|domains</c> (README "Server-Sent Events"): the same messages, filters, limits, tokens and
    /// whitelist as the WebSocket streams, as a <c>text/event-stream</c>.
    /// </summary>
    private async Task HandleEventStreamAsync(HttpContext context)
    {
        var client = _access.ClientAddress(context);
        if (!_access.IsAllowed(client))
        {
            Refuse(context, StatusCodes.Status403Forbidden, "forbidden");
            return;
        }
        var stream = context.Request.Query["stream"];
        StreamKind? kind = stream.Count == 0 ? StreamKind.Lite : stream.ToString() switch
        {
            "lite" => StreamKind.Lite,
            "full" => StreamKind.Full,
            "domains" => StreamKind.Domains,
            _ => null,
        };
        var filter = ClientFilter.Parse(context.Request.Query, out var filterError);
        if (kind is null || filterError is not null)
        {
            await RefuseAsync(context, StatusCodes.Status400BadRequest, "bad_filter",
                kind is null ? "bad stream: expected lite, full or domains" : $"bad filter: {filterError}");
            return;
        }
        if (!AuthorizeAndAdmit(context, client)) return;

        try
        {
            var resume = await CheckResumeAsync(context, kind.Value, context.Request.Headers["Last-Event-ID"].ToString());
            if (resume is { Problem: not null }) return;
            var activity = new ClientActivity();
            using var socket = new ServerSentEventsSocket(context, activity, _settings.PingInterval);
            await socket.StartAsync();
            await RunSessionAsync(socket, kind.Value, activity, filter, resume);
        }
        catch (Exception e) when (e is IOException or OperationCanceledException)
        {
            // Gone before the stream started.
        }
        finally
        {
            _admission.Release(client);
        }
    }

    /// <summary>
    /// The tokens and the client limits, alike for WebSocket and SSE clients: false when the request is refused (its
    /// status set); when true, the caller holds an admission slot and must release it.
    /// </summary>
    private bool AuthorizeAndAdmit(HttpContext context, IPAddress client)
    {
        if (!_access.IsAuthorized(context.Request))
        {
            context.Response.Headers.WWWAuthenticate = "Bearer";
            Refuse(context, StatusCodes.Status401Unauthorized, "unauthorized");
            return false;
        }
        switch (_admission.TryAdmit(client))
        {
            case AdmissionResult.ServerFull:
                Refuse(context, StatusCodes.Status503ServiceUnavailable, "max_clients");
                return false;
            case AdmissionResult.AddressFull:
                Refuse(context, StatusCodes.Status429TooManyRequests, "max_clients_per_ip");
                return false;
            default:
                return true;
        }
    }

    private async Task RunSessionAsync(WebSocket socket, StreamKind kind, ClientActivity activity, ClientFilter? filter, Resume? resume)
    {
        var replaying = resume is { Live: false };
        var session = new ClientSession(socket, kind, activity, _settings, _tuning, filter, resumed: replaying);
        if (resume is { Live: true }) session.Offer(History.GapMessage(resume.Since, oldest: null), Environment.TickCount64);
        _hub.Add(session);
        using var replayEnds = new CancellationTokenSource();
        var replay = Task.CompletedTask;
        if (replaying)
        {
            _hub.CountResume();
            replay = _history.ReplayAsync(session, resume!.Since, resume.Check, replayEnds.Token);
        }
        try
        {
            await session.RunAsync(_stopping);
        }
        finally
        {
            _hub.Remove(session);
            await replayEnds.CancelAsync();
            await replay;
            _metrics.Disconnected(session.Reason);
            if (session.Reason == DisconnectReason.SlowClient)
            {
                _logger.LogInformation("Client of {Stream} closed as too slow (1013) after {Skipped} skipped messages",
                    kind.Name(), session.MessagesSkipped);
            }
            else
            {
                _logger.LogDebug("Client of {Stream} disconnected: {Reason}", kind.Name(), session.Reason.Name());
            }
        }
    }

    private async Task HandleExampleAsync(HttpContext context, StreamKind kind)
    {
        if (!Admit(context)) return;
        var example = _hub.Example(kind);
        if (example is null)
        {
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            await WriteAsync(context, "application/json", NoCertificateYet);
            return;
        }
        await WriteAsync(context, "application/json", example.Value);
    }

    private async Task HandleLatestAsync(HttpContext context)
    {
        if (!Admit(context)) return;
        // The stored bytes are spliced into the envelope as they are: no re-serialization.
        var latest = _hub.Latest();
        var length = "{\"messages\":[]}".Length + Math.Max(0, latest.Length - 1) + latest.Sum(message => message.Length);
        var body = new byte[length];
        var at = 0;
        Append("{\"messages\":["u8);
        for (var i = 0; i < latest.Length; i++)
        {
            if (i > 0) Append(","u8);
            Append(latest[i].Span);
        }
        Append("]}"u8);
        await WriteAsync(context, "application/json", body);

        void Append(ReadOnlySpan<byte> bytes)
        {
            bytes.CopyTo(body.AsSpan(at));
            at += bytes.Length;
        }
    }

    private async Task HandleStatsAsync(HttpContext context)
    {
        if (!Admit(context)) return;
        // Counts only: no client addresses or headers (Calidog's /stats exposed both, README "WebSocket and HTTP API").
        var totals = StreamKinds.All.ToDictionary(kind => kind, _hub.Totals);
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream))
        {
            json.WriteStartObject();
            json.WriteNumber("processed_certificates", _hub.CertificatesProcessed);
            json.WriteStartObject("clients");
            json.WriteNumber("total", totals.Values.Sum(t => t.Clients));
            foreach (var kind in StreamKinds.All) json.WriteNumber(kind.Name(), totals[kind].Clients);
            // Of those, the clients with a server-side filter (README "Filters").
            json.WriteNumber("filtered", totals.Values.Sum(t => t.FilteredClients));
            json.WriteNumber("sse", totals.Values.Sum(t => t.EventStreamClients));
            json.WriteNumber("resumed", totals.Values.Sum(t => t.ResumedClients));
            json.WriteNumber("unique", totals.Values.Sum(t => t.UniqueClients));
            json.WriteEndObject();
            json.WriteNumber("resumes", _hub.Resumes);
            json.WriteNumber("replayed_messages", totals.Values.Sum(t => t.MessagesReplayed));
            json.WriteNumber("skipped_messages", totals.Values.Sum(t => t.MessagesSkipped));
            json.WriteNumber("slow_clients_disconnected", _hub.SlowClientsClosed);
            WritePerStream(json, "messages_received", _hub.MessagesReceived);
            WritePerStream(json, "messages_sent", kind => totals[kind].MessagesSent);
            WritePerStream(json, "messages_skipped", kind => totals[kind].MessagesSkipped);
            json.WriteStartObject("logs");
            foreach (var (log, count) in _hub.CertificatesByLog()) json.WriteNumber(log, count);
            json.WriteEndObject();
            json.WriteEndObject();
        }
        await WriteAsync(context, "application/json", stream.GetBuffer().AsMemory(0, (int)stream.Length));
    }

    private static void WritePerStream(Utf8JsonWriter json, string name, Func<StreamKind, long> value)
    {
        json.WriteStartObject(name);
        foreach (var kind in StreamKinds.All) json.WriteNumber(kind.Name(), value(kind));
        json.WriteEndObject();
    }

    /// <summary>Whitelist (403) and token (401) for the JSON endpoints; true when the request may go on.</summary>
    private bool Admit(HttpContext context)
    {
        if (!_access.IsAllowed(_access.ClientAddress(context)))
        {
            Refuse(context, StatusCodes.Status403Forbidden, "forbidden");
            return false;
        }
        if (!_access.IsAuthorized(context.Request))
        {
            context.Response.Headers.WWWAuthenticate = "Bearer";
            Refuse(context, StatusCodes.Status401Unauthorized, "unauthorized");
            return false;
        }
        return true;
    }

    private void Refuse(HttpContext context, int status, string reason)
    {
        _metrics.Refused(reason);
        context.Response.StatusCode = status;
    }

    /// <summary>A refusal before the upgrade that says why: the status, and <paramref name="line"/> as the one-line body.</summary>
    private Task RefuseAsync(HttpContext context, int status, string reason, string line)
    {
        Refuse(context, status, reason);
        return WriteAsync(context, "text/plain; charset=utf-8", Encoding.UTF8.GetBytes(line + "\n"));
    }

    private static async Task WriteAsync(HttpContext context, string contentType, ReadOnlyMemory<byte> body)
    {
        var response = context.Response;
        response.ContentType = contentType;
        response.ContentLength = body.Length;
        response.Headers.CacheControl = "no-store";
        // As the Python server did, so browser pages elsewhere can read the JSON.
        response.Headers.AccessControlAllowOrigin = "*";
        await response.Body.WriteAsync(body, context.RequestAborted);
    }

    /// <summary>
    /// The live page (README "Live page"): Page/live.html from the assembly, with this edge's paths and whether it needs a
    /// token filled in, and the endpoint list written into the HTML so a reader without JavaScript still sees it.
    /// </summary>
    private static byte[] BuildIndexPage(WebserverOptions settings)
    {
        static string Item(string path, string what, bool link) =>
            link
                ? $"<li><a href=\"{WebUtility.HtmlEncode(path)}\"><code>{WebUtility.HtmlEncode(path)}</code></a> {WebUtility.HtmlEncode(what)}</li>"
                : $"<li><code>{WebUtility.HtmlEncode(path)}</code> {WebUtility.HtmlEncode(what)}</li>";

        var lite = StreamPaths.Normalize(settings.LiteUrl);
        var full = StreamPaths.Normalize(settings.FullUrl);
        var domains = StreamPaths.Normalize(settings.DomainsOnlyUrl);
        var endpoints = string.Join("\n",
            Item(lite, "lite stream (certificate_update without chain and as_der)", link: false),
            Item(full, "full stream (certificate_update with chain and as_der)", link: false),
            Item(domains, "domains-only stream (dns_entries)", link: false),
            Item(StreamPaths.Example(lite), "latest lite message", link: true),
            Item(StreamPaths.Example(full), "latest full message", link: true),
            Item(StreamPaths.Example(domains), "latest domains-only message", link: true),
            Item("/latest.json", "the 25 latest lite messages, newest first", link: true),
            Item("/stats", "counts", link: true),
            Item("/sse?stream=lite", "the same as Server-Sent Events (stream=lite|full|domains)", link: false));

        using var stream = typeof(EdgeEndpoints).Assembly.GetManifestResourceStream("live.html")
            ?? throw new InvalidOperationException("the live page is missing from the assembly");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var template = reader.ReadToEnd();
        var configStart = template.IndexOf("/*CONFIG*/", StringComparison.Ordinal);
        var configEnd = template.IndexOf("/*END*/", StringComparison.Ordinal);
        if (configStart < 0 || configEnd < configStart) throw new InvalidOperationException("the live page has no config marker");
        using var configJson = new MemoryStream();
        using (var json = new Utf8JsonWriter(configJson)) // escapes <, > and & by default: no path can close the script
        {
            json.WriteStartObject();
            json.WriteString("lite", lite);
            json.WriteString("full", full);
            json.WriteString("domains", domains);
            json.WriteBoolean("auth", settings.AuthTokens.Count > 0);
            json.WriteEndObject();
        }
        var config = Encoding.UTF8.GetString(configJson.ToArray());
        var html = template[..configStart] + config + template[(configEnd + "/*END*/".Length)..];
        return Encoding.UTF8.GetBytes(html.Replace("<!--ENDPOINTS-->", endpoints, StringComparison.Ordinal));
    }
}
