using System.Text;

namespace Certstream.Ingestor.Tests.Support;

/// <summary>
/// README "NATS subjects" log key, for tests only. To be replaced by Contracts' <c>LogKey.FromUrl</c> once it lands
/// (production code receives that function; it does not use this one).
/// </summary>
internal static class LogKeys
{
    public static string FromUrl(string url)
    {
        var text = url.Trim().ToLowerInvariant();
        var scheme = text.IndexOf("://", StringComparison.Ordinal);
        if (scheme >= 0) text = text[(scheme + 3)..];
        text = text.TrimEnd('/');
        var key = new StringBuilder(text.Length);
        foreach (var c in text) key.Append(c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_' or '-' ? c : '_');
        return key.ToString();
    }
}
