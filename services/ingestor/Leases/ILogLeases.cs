namespace Certstream.Ingestor.Leases;

/// <summary>
/// Who may follow a log (README "Architecture": several ingestor replicas, each log followed by exactly one). The supervisor asks
/// before a follower starts and stops the follower when the lease is lost.
/// </summary>
internal interface ILogLeases
{
    /// <summary>Waits until this instance holds the lease of <paramref name="logKey"/>; ends only by cancellation.</summary>
    Task<ILogLease> AcquireAsync(string logKey, CancellationToken cancellationToken);
}

/// <summary>A held lease. Disposing releases it (unless it was lost).</summary>
internal interface ILogLease : IAsyncDisposable
{
    /// <summary>Cancelled the moment the lease is lost: following must stop right away.</summary>
    CancellationToken Lost { get; }
}
