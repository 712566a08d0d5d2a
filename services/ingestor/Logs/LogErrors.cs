using Certstream.Ingestor.Http;
using Microsoft.Extensions.Logging;

namespace Certstream.Ingestor.Logs;

/// <summary>
/// A log's error state: every error is counted, but a line is logged only when the kind changes
/// (failing → other failure → recovered), so a log down for hours does not flood the output.
/// </summary>
internal sealed class LogErrors(string logKey, IngestorMetrics metrics, ILogger logger)
{
    private int _current;

    public ErrorKind Current => (ErrorKind)Volatile.Read(ref _current);

    public void Failed(ErrorKind kind, string what, string detail)
    {
        metrics.Error(logKey, kind);
        var previous = (ErrorKind)Interlocked.Exchange(ref _current, (int)kind);
        if (previous != kind)
            logger.LogWarning("log {Log}: {What} failed: {Kind} ({Detail}); backing off and retrying", logKey, what, IngestorMetrics.KindName(kind), detail);
    }

    public void Succeeded(string what)
    {
        var previous = (ErrorKind)Interlocked.Exchange(ref _current, (int)ErrorKind.None);
        if (previous != ErrorKind.None)
            logger.LogInformation("log {Log}: {What} succeeded again after {Kind}", logKey, what, IngestorMetrics.KindName(previous));
    }
}
