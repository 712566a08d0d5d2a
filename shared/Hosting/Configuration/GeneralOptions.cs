namespace Certstream.Hosting.Configuration;

/// <summary>The <c>general:</c> section: which CT logs to follow.</summary>
public sealed record GeneralOptions
{
    public string LogListUrl { get; init; } = "https://www.gstatic.com/ct/log_list/v3/log_list.json";
    public bool DisableDefaultLogs { get; init; }
    public ConfigList<CtLogSource> AdditionalLogs { get; init; } = [];
    public ConfigList<CtLogSource> AdditionalTiledLogs { get; init; } = [];
    public ConfigList<LogExclusion> ExcludedLogs { get; init; } = [];

    /// <summary>Log list states followed (Chrome v3: pending, qualified, usable, readonly, retired, rejected).</summary>
    public ConfigList<string> LogStates { get; init; } = ["usable", "qualified", "readonly"];

    public StartPosition StartAt { get; init; } = StartPosition.Head;

    /// <summary>Tree head verification: warn (the default), enforce or off.</summary>
    public VerifyMode Verify { get; init; } = VerifyMode.Warn;

    /// <summary>Sent on every CT request; <c>&lt;version&gt;</c> in the file is replaced by the product version.</summary>
    public string UserAgent { get; init; } = "certstream-nats/" + ProductVersion.Current;
}
