using System.Net;
using System.Security.Cryptography;
using System.Text;
using Certstream.Hosting.Configuration;
using Microsoft.AspNetCore.Http;

namespace Certstream.Edge;

/// <summary>
/// Who is asking and whether they may (README "WebSocket and HTTP API" limits and access): the client's address with <c>real_ip</c>,
/// the IP whitelist and the bearer tokens.
/// </summary>
internal sealed class AccessPolicy
{
    private readonly bool _realIp;
    private readonly NetworkList _trustedProxies;
    private readonly NetworkList _whitelist;
    private readonly byte[][] _tokens;

    /// <summary>Throws <see cref="ArgumentException"/> naming the key for what the config loader lets through but the edge cannot use.</summary>
    public AccessPolicy(WebserverOptions webserver)
    {
        if (webserver.AuthTokens.Any(string.IsNullOrWhiteSpace)) throw new ArgumentException("webserver.auth_tokens must not hold empty tokens");
        _realIp = webserver.RealIp;
        _trustedProxies = NetworkList.From(webserver.TrustedProxies, "webserver.trusted_proxies");
        _whitelist = NetworkList.From(webserver.Whitelist, "webserver.whitelist");
        _tokens = [.. webserver.AuthTokens.Select(Encoding.UTF8.GetBytes)];
    }

    public bool RequiresToken => _tokens.Length > 0;

    /// <summary>
    /// The peer's address; with <c>real_ip</c> and a peer in <c>trusted_proxies</c>, the client named by the proxy:
    /// X-Forwarded-For read from the right, skipping trusted hops (the left part is whatever the client claimed),
    /// else X-Real-IP. Forwarding headers from anyone else are ignored (certstream-server-go #75).
    /// </summary>
    public IPAddress ClientAddress(HttpContext context)
    {
        var peer = NetworkList.Canonical(context.Connection.RemoteIpAddress ?? IPAddress.IPv6None);
        if (!_realIp || !_trustedProxies.Contains(peer)) return peer;

        var headers = context.Request.Headers;
        IPAddress? nearest = null;
        var hops = headers.GetCommaSeparatedValues("X-Forwarded-For");
        for (var i = hops.Length - 1; i >= 0; i--)
        {
            if (!TryParseHop(hops[i], out var hop)) break;
            nearest = hop;
            if (!_trustedProxies.Contains(hop)) return hop;
        }
        if (nearest is not null) return nearest;
        return TryParseHop(headers["X-Real-IP"].ToString(), out var real) ? real : peer;
    }

    /// <summary>Empty whitelist: everyone.</summary>
    public bool IsAllowed(IPAddress client) => _whitelist.IsEmpty || _whitelist.Contains(client);

    /// <summary><c>Authorization: Bearer &lt;token&gt;</c> or <c>?token=&lt;token&gt;</c>, when tokens are configured.</summary>
    public bool IsAuthorized(HttpRequest request)
    {
        if (_tokens.Length == 0) return true;
        var authorization = request.Headers.Authorization.ToString();
        const string scheme = "Bearer ";
        if (authorization.StartsWith(scheme, StringComparison.OrdinalIgnoreCase)
            && Matches(authorization.AsSpan(scheme.Length).Trim()))
            return true;
        return request.Query.TryGetValue("token", out var query) && Matches(query.ToString());
    }

    private bool Matches(ReadOnlySpan<char> candidate)
    {
        if (candidate.IsEmpty) return false;
        Span<byte> bytes = stackalloc byte[256];
        if (Encoding.UTF8.GetMaxByteCount(candidate.Length) > bytes.Length)
            bytes = new byte[Encoding.UTF8.GetMaxByteCount(candidate.Length)];
        var length = Encoding.UTF8.GetBytes(candidate, bytes);
        var found = false;
        foreach (var token in _tokens)
        {
            // Constant time per token, so a guess learns nothing from the timing.
            found |= CryptographicOperations.FixedTimeEquals(token, bytes[..length]);
        }
        return found;
    }

    /// <summary>An address as proxies write it: bare, or with a port (<c>1.2.3.4:5678</c>, <c>[::1]:80</c>).</summary>
    private static bool TryParseHop(string? value, out IPAddress address)
    {
        address = IPAddress.None;
        var text = value.AsSpan().Trim();
        if (text.IsEmpty) return false;
        if (IPAddress.TryParse(text, out var parsed) || IPEndPoint.TryParse(text, out var endpoint) && (parsed = endpoint.Address) is not null)
        {
            address = NetworkList.Canonical(parsed);
            return true;
        }
        return false;
    }
}
