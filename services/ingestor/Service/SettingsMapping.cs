using Certstream.Hosting.Configuration;
using Certstream.Ingestor.Logs;

namespace Certstream.Ingestor.Service;

/// <summary>Maps the Hosting options records (README "Configuration" <c>general:</c>, <c>ingestor:</c>; <c>nats:</c> is Hosting's <c>NatsOptionsMapping</c>) onto what the ingestor uses.</summary>
internal static class SettingsMapping
{
    public static IngestorSettings ToSettings(GeneralOptions general, IngestorOptions ingestor) => new()
    {
        LogListUrl = general.LogListUrl,
        DisableDefaultLogs = general.DisableDefaultLogs,
        AdditionalLogs = [.. general.AdditionalLogs.Select(l => new CustomLog(l.Url, l.Operator, l.Description, l.Key))],
        AdditionalTiledLogs = [.. general.AdditionalTiledLogs.Select(l => new CustomLog(l.Url, l.Operator, l.Description, l.Key))],
        ExcludedLogs = [.. general.ExcludedLogs.Select(e => new Logs.LogExclusion(e.Url, e.Operator))],
        LogStates = [.. general.LogStates],
        // README "Configuration" start_at: head | 0. Any fixed index means "from the start of the log" for a log without checkpoint.
        StartAt = general.StartAt.IsHead ? StartPosition.Head : StartPosition.Origin,
        Verify = general.Verify,
        UserAgent = general.UserAgent,
        ParallelFetch = ingestor.ParallelFetch,
        SthPollInterval = ingestor.SthPollInterval,
        PartialTileWait = ingestor.PartialTileWait,
        FetchBuffer = ingestor.FetchBuffer,
    };
}
