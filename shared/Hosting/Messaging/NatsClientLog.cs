using Microsoft.Extensions.Logging;

namespace Certstream.Hosting.Messaging;

/// <summary>
/// What NATS.Net logs, as this project's log lines: one line per event, the exception's message instead of its stack (a
/// lost connection is an expected event, not a bug), a line that repeats the previous one written once. Failed connect
/// attempts are not written at all: NATS.Net logs one per attempt (every ~100 ms to 1.5 s during an outage); their reason
/// is kept instead (<see cref="LastConnectError"/>, e.g. an authorization violation, which NATS.Net's own exception
/// summarises away), and the <see cref="NatsConnector"/> writes one line per change of reason.
/// </summary>
public sealed class NatsClientLog : ILoggerFactory
{
    private readonly ILoggerFactory _inner;
    private readonly Lock _gate = new();
    private string? _lastLine;
    private volatile string? _lastConnectError;

    public NatsClientLog(ILoggerFactory inner)
    {
        ArgumentNullException.ThrowIfNull(inner);
        _inner = inner;
    }

    /// <summary>Why the latest connect or reconnect attempt failed (a socket error or the server's -ERR), or null.</summary>
    public string? LastConnectError => _lastConnectError;

    public ILogger CreateLogger(string categoryName) => new Logger(this, _inner.CreateLogger(categoryName));

    public void AddProvider(ILoggerProvider provider) => throw new NotSupportedException("NATS.Net's log goes to the service's logger factory");

    public void Dispose()
    {
        // The inner factory is the host's; it disposes it.
    }

    private bool IsRepeat(string line)
    {
        lock (_gate)
        {
            if (line == _lastLine) return true;
            _lastLine = line;
            return false;
        }
    }

    /// <summary>The cause of a NATS.Net exception: the innermost message (NATS.Net wraps e.g. the server's -ERR in a summary).</summary>
    public static string Describe(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        while (exception.InnerException is { } inner)
            exception = inner;
        return exception.Message;
    }

    // Connect attempts and the server's -ERR (an authorization violation answers a connect): the connector reports them.
    private static bool IsConnectFailure(string message) =>
        message.StartsWith("Fail to connect", StringComparison.Ordinal) || message.StartsWith("Failed to connect", StringComparison.Ordinal)
        || message.StartsWith("Authentication error", StringComparison.Ordinal) || message.StartsWith("Received same authentication error", StringComparison.Ordinal)
        || message.StartsWith("Server error", StringComparison.Ordinal);

    private sealed class Logger(NatsClientLog owner, ILogger inner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => inner.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var message = formatter(state, exception);
            if (IsConnectFailure(message))
            {
                // "Authentication error: …" comes without an exception; the next failure's exception says the same.
                if (exception is not null) owner._lastConnectError = Describe(exception);
                return;
            }
            if (!inner.IsEnabled(logLevel)) return;
            var line = exception is null ? message : $"{message}: {Describe(exception)}";
            if (owner.IsRepeat(line)) return;
            // Errors of the connection are the network's, not the service's: a warning, never a stack trace.
            inner.Log(logLevel > LogLevel.Warning ? LogLevel.Warning : logLevel, eventId, "{Line}", line);
        }
    }
}
