using Microsoft.Extensions.Logging;

namespace Certstream.Hosting.Messaging;

/// <summary>
/// What NATS.Net logs, as this project's log lines: one line per event, the exception's message instead of its stack
/// (a lost connection is an expected event, not a bug), and a line that repeats the previous one (a reconnect attempt
/// failing the same way every second) written once. It also keeps the last reason a connect failed, which NATS.Net's
/// own exception summarises away, so the <see cref="NatsConnector"/> can say why the server refused (e.g. an
/// authorization violation).
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

    /// <summary>The reason of the latest failed connect attempt (a socket error or a server's -ERR), or null.</summary>
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

    private sealed class Logger(NatsClientLog owner, ILogger inner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => inner.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var message = formatter(state, exception);
            var reason = exception is null ? null : Reason(exception);
            if (message.StartsWith("Fail to connect", StringComparison.Ordinal) || message.StartsWith("Authentication error", StringComparison.Ordinal))
                owner._lastConnectError = reason is null ? message : $"{message}: {reason}";
            if (!inner.IsEnabled(logLevel)) return;
            var line = reason is null ? message : $"{message}: {reason}";
            if (owner.IsRepeat(line)) return;
            // Errors of the connection are the network's, not the service's: a warning, never a stack trace.
            inner.Log(logLevel > LogLevel.Warning ? LogLevel.Warning : logLevel, eventId, "{Line}", line);
        }

        private static string Reason(Exception exception)
        {
            var reason = exception.Message;
            for (var inner = exception.InnerException; inner is not null; inner = inner.InnerException)
                reason += $" ({inner.Message})";
            return reason;
        }
    }
}
