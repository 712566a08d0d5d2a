namespace Certstream.Ingestor.Tests.Support;

/// <summary>Settings with short intervals so behaviour tests run in well under a second each.</summary>
internal static class TestSettings
{
    public static IngestorSettings Fast(StartPosition startAt = StartPosition.Origin) => new()
    {
        DisableDefaultLogs = true,
        StartAt = startAt,
        ParallelFetch = 4,
        SthPollInterval = TimeSpan.FromMilliseconds(30),
        PartialTileWait = TimeSpan.FromMilliseconds(200),
        RetryMin = TimeSpan.FromMilliseconds(10),
        RetryMax = TimeSpan.FromMilliseconds(80),
        CheckpointSaveInterval = TimeSpan.FromMilliseconds(30),
        ShutdownGrace = TimeSpan.FromMilliseconds(500),
        RequestTimeout = TimeSpan.FromSeconds(5),
        LogListRefreshInterval = TimeSpan.FromMilliseconds(100),
    };
}
