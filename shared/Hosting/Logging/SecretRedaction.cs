using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;

namespace Certstream.Hosting.Logging;

/// <summary>
/// Keeps secrets out of every log line at every level (README "Logging"): a <c>token</c> query parameter (how WebSocket
/// clients that cannot set headers authenticate) and an <c>Authorization</c> header value are replaced by <c>***</c> in
/// each message and in each structured value, whoever wrote it (ASP.NET Core's request lines at debug carry the query).
/// </summary>
public static partial class SecretRedaction
{
    /// <summary>The text with secrets replaced; the same instance when there were none.</summary>
    public static string Redact(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!text.Contains("token", StringComparison.OrdinalIgnoreCase) && !text.Contains("authorization", StringComparison.OrdinalIgnoreCase))
            return text;
        text = TokenParameter().Replace(text, "$1***");
        return AuthorizationValue().Replace(text, "$1***");
    }

    // ?token=… or &token=… (also percent-encoded separators left as they are), up to the next separator.
    [GeneratedRegex(@"([?&;](?:access_)?token=)[^&\s""'<>#]*", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex TokenParameter();

    // "Authorization: Bearer abc", "authorization=abc": the scheme is kept, the credentials go.
    [GeneratedRegex(@"(authorization[""']?\s*[:=]\s*[""']?(?:(?:bearer|basic|token)\s+)?)[^\s""',;]+", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex AuthorizationValue();
}

/// <summary>Wraps a logger provider so that everything it writes goes through <see cref="SecretRedaction"/>.</summary>
internal sealed class RedactingLoggerProvider(ILoggerProvider inner) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new RedactingLogger(inner.CreateLogger(categoryName));

    public void Dispose() => inner.Dispose();

    private sealed class RedactingLogger(ILogger inner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => inner.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!inner.IsEnabled(logLevel)) return;
            var message = SecretRedaction.Redact(formatter(state, exception));
            if (exception is not null)
            {
                // An exception's text can quote a request (Kestrel's bad-request errors do): written redacted, as text.
                var text = exception.ToString();
                var redacted = SecretRedaction.Redact(text);
                if (!ReferenceEquals(text, redacted))
                {
                    message += Environment.NewLine + redacted;
                    exception = null;
                }
            }
            // Structured values too: the JSON console writes them beside the message.
            var values = state is IReadOnlyList<KeyValuePair<string, object?>> pairs
                ? pairs.Select(p => p.Value is string s ? KeyValuePair.Create(p.Key, (object?)SecretRedaction.Redact(s)) : p).ToList()
                : [];
            inner.Log(logLevel, eventId, new RedactedState(message, values), exception, static (s, _) => s.Message);
        }
    }

    private sealed class RedactedState(string message, IReadOnlyList<KeyValuePair<string, object?>> values) : IReadOnlyList<KeyValuePair<string, object?>>
    {
        public string Message { get; } = message;

        public int Count => values.Count;

        public KeyValuePair<string, object?> this[int index] => values[index];

        public IEnumerator<KeyValuePair<string, object?>> GetEnumerator() => values.GetEnumerator();

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

        public override string ToString() => Message;
    }
}
