namespace Certstream.Ingestor;

/// <summary>Where a log with no checkpoint starts (README "Configuration" <c>general.start_at</c>: <c>head</c> | <c>0</c>).</summary>
internal enum StartPosition
{
    /// <summary>At the log's current tree size: only new entries are streamed.</summary>
    Head = 0,

    /// <summary>At index 0: the whole log is backfilled.</summary>
    Origin = 1,
}
