using Microsoft.AspNetCore.Http;
using Microsoft.Net.Http.Headers;

namespace Certstream.Edge;

/// <summary>
/// The opening handshake of RFC 6455 §4.2.1, checked for requests that ask for a WebSocket (an <c>Upgrade: websocket</c>
/// header, or a <c>Sec-WebSocket-*</c> one): what is wrong with it, so the client is told instead of being handed the
/// HTML page (README "WebSocket and HTTP API"). HTTP/2's extended CONNECT (RFC 8441) carries no Upgrade header and is
/// left to ASP.NET Core.
/// </summary>
internal static class Handshake
{
    /// <summary>The only version RFC 6455 defines; a 426 names it in <c>Sec-WebSocket-Version</c>.</summary>
    public const string Version = "13";

    public static (int Status, string Reason)? Problem(HttpRequest request)
    {
        var headers = request.Headers;
        var asksForWebSocket = HasToken(headers.Upgrade, "websocket") || headers.ContainsKey(HeaderNames.SecWebSocketKey)
            || headers.ContainsKey(HeaderNames.SecWebSocketVersion);
        if (!asksForWebSocket || HttpProtocol.IsHttp2(request.Protocol) || HttpProtocol.IsHttp3(request.Protocol)) return null;
        if (!HttpProtocol.IsHttp11(request.Protocol))
            return (StatusCodes.Status400BadRequest, $"bad handshake: a WebSocket needs HTTP/1.1, not {request.Protocol} (RFC 6455 §4.1)");
        if (!HttpMethods.IsGet(request.Method))
            return (StatusCodes.Status400BadRequest, $"bad handshake: a WebSocket is opened with GET, not {request.Method}");
        if (!HasToken(headers.Upgrade, "websocket"))
            return (StatusCodes.Status400BadRequest, "bad handshake: Upgrade: websocket is missing");
        if (!HasToken(headers.Connection, "upgrade"))
            return (StatusCodes.Status400BadRequest, "bad handshake: Connection: Upgrade is missing");
        if (headers.SecWebSocketVersion.ToString() != Version)
            return (StatusCodes.Status426UpgradeRequired, $"bad handshake: Sec-WebSocket-Version must be {Version}");
        if (!IsValidKey(headers.SecWebSocketKey.ToString()))
            return (StatusCodes.Status400BadRequest, "bad handshake: Sec-WebSocket-Key must be 16 bytes in base64");
        return null;
    }

    // A comma-separated header (possibly repeated) holding a token, case-insensitively.
    private static bool HasToken(Microsoft.Extensions.Primitives.StringValues values, string token) =>
        values.Any(value => value is not null && value.Split(',').Any(part => part.Trim().Equals(token, StringComparison.OrdinalIgnoreCase)));

    private static bool IsValidKey(string key)
    {
        Span<byte> decoded = stackalloc byte[18];
        return key.Length == 24 && Convert.TryFromBase64String(key, decoded, out var written) && written == 16;
    }
}
