namespace Certstream.Ingestor.Logs;

/// <summary>Makes the follower for a log (RFC 6962 or tiled); the supervisor's seam to its followers.</summary>
internal interface ILogFollowerFactory
{
    ILogFollower Create(LogDescriptor log);
}
