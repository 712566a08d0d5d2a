using System.Globalization;
using System.Net;
using System.Security.Cryptography;

namespace Certstream.Hosting.Configuration;

/// <summary>
/// Parsers for the scalar value types of the file. Each returns the value, or a problem phrase
/// (the caller adds where and which key).
/// </summary>
internal static class ConfigScalars
{
    private const string DurationHint = "e.g. 500ms, 30s, 1m30s, 24h";
    private const string SizeHint = "e.g. 8MiB, 512KiB, 1048576";

    // Longest duration a TimeSpan holds, in milliseconds, rounded down.
    private const decimal MaxDurationMs = 900_000_000_000_000m;

    // The states of Chrome's v3 log list.
    private static readonly string[] LogStates = ["pending", "qualified", "usable", "readonly", "retired", "rejected"];

    public static (bool Value, string? Problem) Bool(string text) =>
        text.ToLowerInvariant() switch
        {
            "true" => (true, null),
            "false" => (false, null),
            _ => (false, $"\"{text}\" is not a boolean (true or false)"),
        };

    public static (long Value, string? Problem) Integer(string text) =>
        long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value)
            ? (value, null)
            : (0, $"\"{text}\" is not a whole number");

    /// <summary>Go-style durations: a sequence of number+unit (ms, s, m, h), or a bare 0.</summary>
    public static (TimeSpan Value, string? Problem) Duration(string text)
    {
        if (text == "0") return (TimeSpan.Zero, null);
        var bad = (TimeSpan.Zero, $"\"{text}\" is not a duration ({DurationHint})");
        if (text.Length == 0) return bad;
        var totalMs = 0m;
        var i = 0;
        while (i < text.Length)
        {
            var start = i;
            while (i < text.Length && (char.IsAsciiDigit(text[i]) || text[i] == '.')) i++;
            if (i == start || i - start > 15) return bad;
            if (!decimal.TryParse(text.AsSpan(start, i - start), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number)) return bad;
            var unitStart = i;
            while (i < text.Length && char.IsAsciiLetter(text[i])) i++;
            decimal factor = text.AsSpan(unitStart, i - unitStart) switch
            {
                "ms" => 1m,
                "s" => 1_000m,
                "m" => 60_000m,
                "h" => 3_600_000m,
                _ => 0m,
            };
            if (factor == 0m) return bad;
            totalMs += number * factor;
            if (totalMs > MaxDurationMs) return (TimeSpan.Zero, $"\"{text}\" is too long");
        }
        return (TimeSpan.FromTicks((long)(totalMs * TimeSpan.TicksPerMillisecond)), null);
    }

    /// <summary>Byte sizes: plain bytes, or a whole number with B, KB/MB/GB (powers of 1000) or KiB/MiB/GiB (powers of 1024).</summary>
    public static (long Value, string? Problem) Size(string text)
    {
        var bad = (0L, $"\"{text}\" is not a size ({SizeHint})");
        var digits = 0;
        while (digits < text.Length && char.IsAsciiDigit(text[digits])) digits++;
        if (digits == 0 || !long.TryParse(text.AsSpan(0, digits), NumberStyles.None, CultureInfo.InvariantCulture, out var number)) return bad;
        long factor = text.AsSpan(digits) switch
        {
            "" or "B" => 1L,
            "KB" => 1_000L,
            "MB" => 1_000_000L,
            "GB" => 1_000_000_000L,
            "KiB" => 1L << 10,
            "MiB" => 1L << 20,
            "GiB" => 1L << 30,
            _ => 0L,
        };
        if (factor == 0) return bad;
        if (number > long.MaxValue / factor) return (0L, $"\"{text}\" is too large");
        return (number * factor, null);
    }

    /// <summary>A literal IP address; hostnames are rejected, as certstream-server-go does.</summary>
    public static (string Value, string? Problem) IpAddress(string text) =>
        System.Net.IPAddress.TryParse(text, out _) && !text.Contains('%', StringComparison.Ordinal)
            ? (text, null)
            : (text, $"\"{text}\" is not an IP address (e.g. 0.0.0.0 or ::)");

    /// <summary>An IP address or CIDR block; host bits after the prefix are ignored (127.0.0.1/8 means 127.0.0.0/8).</summary>
    public static (IPNetwork Value, string? Problem) IpNetwork(string text)
    {
        var bad = (default(IPNetwork), $"\"{text}\" is not an IP address or CIDR block (e.g. 10.0.0.0/8)");
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        var addressText = slash < 0 ? text : text[..slash];
        if (!System.Net.IPAddress.TryParse(addressText, out var address)) return bad;
        var bytes = address.GetAddressBytes();
        var prefix = bytes.Length * 8;
        if (slash >= 0 && (!int.TryParse(text.AsSpan(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out prefix) || prefix > bytes.Length * 8))
            return bad;
        for (var bit = prefix; bit < bytes.Length * 8; bit++)
            bytes[bit / 8] &= (byte)~(0x80 >> (bit % 8));
        return (new IPNetwork(new IPAddress(bytes), prefix), null);
    }

    /// <summary>An absolute URL path made of plain segments, as certstream-server-go validates them (or "/").</summary>
    public static (string Value, string? Problem) UrlPath(string text)
    {
        var ok = text.Length > 0 && text[0] == '/' && (text.Length == 1 || text[^1] != '/')
            && !text.Contains("//", StringComparison.Ordinal)
            && text.All(c => char.IsAsciiLetterOrDigit(c) || c is '/' or '-' or '.' or '_');
        return ok ? (text, null) : (text, $"\"{text}\" is not a URL path (e.g. /full-stream)");
    }

    /// <summary>An absolute http or https URL.</summary>
    public static (string Value, string? Problem) HttpUrl(string text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps) && uri.Host.Length > 0
            ? (text, null)
            : (text, $"\"{text}\" is not an http(s) URL");

    /// <summary>One or more comma-separated NATS server URLs (nats, tls, ws or wss).</summary>
    public static (string Value, string? Problem) NatsUrls(string text)
    {
        var parts = text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (parts.Length == 0) return (text, "at least one server URL is needed (e.g. nats://127.0.0.1:4222)");
        foreach (var part in parts)
        {
            if (!Uri.TryCreate(part, UriKind.Absolute, out var uri) || uri.Host.Length == 0 || uri.Scheme is not ("nats" or "tls" or "ws" or "wss"))
                return (text, $"\"{part}\" is not a NATS URL (e.g. nats://127.0.0.1:4222)");
        }
        return (text, null);
    }

    public static (StartPosition Value, string? Problem) StartAt(string text)
    {
        if (text == "head") return (StartPosition.Head, null);
        return ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var index)
            ? (StartPosition.At(index), null)
            : (StartPosition.Head, $"\"{text}\" is neither head nor a non-negative index");
    }

    /// <summary><c>general.verify</c>: warn, enforce or off (lower case, like every other word-valued key).</summary>
    public static (VerifyMode Value, string? Problem) Verify(string text) => text switch
    {
        "warn" => (VerifyMode.Warn, null),
        "enforce" => (VerifyMode.Enforce, null),
        "off" => (VerifyMode.Off, null),
        _ => (VerifyMode.Warn, $"\"{text}\" is not a verify mode (warn, enforce, off)"),
    };

    /// <summary>A log's public key as Chrome's log list gives it: base64 DER SubjectPublicKeyInfo of an EC or RSA key, or "" for none.</summary>
    public static (string Value, string? Problem) PublicKey(string text)
    {
        if (text.Length == 0) return (text, null);
        var bad = (text, "not a base64 DER SubjectPublicKeyInfo of an EC or RSA key (the form of the log list's \"key\")");
        byte[] der;
        try
        {
            der = Convert.FromBase64String(text);
        }
        catch (FormatException)
        {
            return bad;
        }
        return Imports(ECDsa.Create(), der) || Imports(RSA.Create(), der) ? (text, null) : bad;
    }

    private static bool Imports(AsymmetricAlgorithm key, byte[] spki)
    {
        using (key)
        {
            try
            {
                key.ImportSubjectPublicKeyInfo(spki, out var read);
                return read == spki.Length;
            }
            catch (CryptographicException)
            {
                return false;
            }
        }
    }

    public static (string Value, string? Problem) LogState(string text) =>
        LogStates.Contains(text, StringComparer.Ordinal)
            ? (text, null)
            : (text, $"\"{text}\" is not a log list state ({string.Join(", ", LogStates)})");

    public static (string Value, string? Problem) NonEmpty(string text) =>
        text.Length > 0 ? (text, null) : (text, "must not be empty");
}
