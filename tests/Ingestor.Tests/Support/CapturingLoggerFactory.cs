using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Certstream.Ingestor.Tests.Support;

/// <summary>Keeps every formatted log line (level and text) so a test can count them; also a provider for a host's logging.</summary>
internal sealed class CapturingLoggerFactory : ILoggerFactory, ILoggerProvider
{
    private readonly List<(Func<LogLevel, string, bool> Match, TaskCompletionSource Done)> _waiters = [];

    public ConcurrentQueue<(LogLevel Level, string Text)> Lines { get; } = new();

    /// <summary>Completes once a line matching <paramref name="match"/> has been logged (before or after the call).</summary>
    public Task WhenLoggedAsync(Func<LogLevel, string, bool> match)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_waiters)
        {
            if (Lines.Any(l => match(l.Level, l.Text))) return Task.CompletedTask;
            _waiters.Add((match, done));
        }
        return done.Task;
    }

    private void Add(LogLevel level, string text)
    {
        lock (_waiters)
        {
            Lines.Enqueue((level, text));
            foreach (var waiter in _waiters.Where(w => w.Match(level, text)).ToList())
            {
                _waiters.Remove(waiter);
                waiter.Done.TrySetResult();
            }
        }
    }

    public ILogger CreateLogger(string categoryName) => new Logger(this);

    public void AddProvider(ILoggerProvider provider)
    {
    }

    public void Dispose()
    {
    }

    private sealed class Logger(CapturingLoggerFactory owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            owner.Add(logLevel, formatter(state, exception));
    }
}
