namespace Certstream.Ingestor.Logs;

/// <summary>Follows one log until cancelled. Never ends on a log's errors: it counts them, backs off and keeps trying.</summary>
internal interface ILogFollower
{
    Task RunAsync(CancellationToken cancellationToken);
}
