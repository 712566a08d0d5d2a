using System.Collections.Concurrent;
using Certstream.Ingestor.Http;
using Microsoft.Extensions.Logging;

namespace Certstream.Ingestor.Logs;

/// <summary>
/// A log's error state per operation (get-sth, get-entries, data tile, …): every error is counted, but a
/// line is logged only when an operation's error kind changes (failing → other failure → recovered), so a
/// log down for hours does not flood the output.
/// </summary>
internal sealed class LogErrors(string logKey, IngestorMetrics metrics, ILogger logger)
{
    private readonly ConcurrentDictionary<string, ErrorKind> _current = new(StringComparer.Ordinal);

    public ErrorKind Current(string what) => _current.GetValueOrDefault(what);

    public void Failed(ErrorKind kind, string what, string detail)
    {
        metrics.Error(logKey, kind);
        var previous = ErrorKind.None;
        _current.AddOrUpdate(what, kind, (_, old) =>
        {
            previous = old;
            return kind;
        });
        if (previous != kind)
            logger.LogWarning("log {Log}: {What} failed: {Kind} ({Detail}); backing off and retrying", logKey, what, IngestorMetrics.KindName(kind), detail);
    }

    public void Succeeded(string what)
    {
        if (!_current.TryGetValue(what, out var previous) || previous == ErrorKind.None) return;
        if (_current.TryUpdate(what, ErrorKind.None, previous))
            logger.LogInformation("log {Log}: {What} succeeded again after {Kind}", logKey, what, IngestorMetrics.KindName(previous));
    }
}
