using Certstream.Ingestor.Rfc6962;
using Certstream.Ingestor.Tiled;

namespace Certstream.Ingestor.Logs;

/// <summary>Makes an <see cref="Rfc6962Follower"/> or a <see cref="TiledFollower"/>; tiled logs share one issuer cache.</summary>
internal sealed class LogFollowerFactory(FollowerContext context, ITileLeafSource tileLeaves) : ILogFollowerFactory
{
    public IssuerCache Issuers { get; } = new();

    public ILogFollower Create(LogDescriptor log) => log.Kind switch
    {
        LogKind.Tiled => new TiledFollower(log, context, tileLeaves, Issuers),
        _ => new Rfc6962Follower(log, context),
    };
}
