namespace Certstream.Contracts;

/// <summary>
/// The <c>&lt;log&gt;</c> token of every subject and KV key (README "NATS subjects"): the log's URL without scheme and
/// trailing <c>/</c>, lower-cased, every character outside <c>[a-z0-9_-]</c> replaced by <c>_</c>.
/// </summary>
public static class LogKey
{
    /// <summary>E.g. <c>https://ct.googleapis.com/logs/us1/argon2026h1/</c> → <c>ct_googleapis_com_logs_us1_argon2026h1</c>.</summary>
    /// <exception cref="ArgumentException">Nothing is left of the URL once normalized.</exception>
    public static string FromUrl(string url)
    {
        var normalized = NormalizeUrl(url);
        if (normalized.Length == 0)
            throw new ArgumentException($"'{url}' has no host or path to make a log key of", nameof(url));
        return string.Create(normalized.Length, normalized, static (key, source) =>
        {
            for (var i = 0; i < source.Length; i++)
            {
                var c = source[i];
                // ASCII-only lower-casing: the key must not depend on a runtime's Unicode tables.
                if (c is >= 'A' and <= 'Z')
                    c = (char)(c + ('a' - 'A'));
                key[i] = IsKeyChar(c) ? c : '_';
            }
        });
    }

    /// <summary>The URL without surrounding white space, scheme (<c>https://</c>) and trailing slashes; case kept.</summary>
    public static string NormalizeUrl(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        var span = url.AsSpan().Trim();
        var scheme = span.IndexOf("://", StringComparison.Ordinal);
        if (scheme >= 0)
            span = span[(scheme + 3)..];
        return span.TrimEnd('/').ToString();
    }

    /// <summary>Whether <paramref name="key"/> is a non-empty string of <c>[a-z0-9_-]</c>, so safe as one subject token.</summary>
    public static bool IsValid(ReadOnlySpan<char> key)
    {
        if (key.IsEmpty)
            return false;
        foreach (var c in key)
        {
            if (!IsKeyChar(c))
                return false;
        }
        return true;
    }

    private static bool IsKeyChar(char c) => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '_' or '-';
}
