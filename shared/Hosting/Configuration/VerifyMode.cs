namespace Certstream.Hosting.Configuration;

/// <summary>
/// <c>general.verify</c>: what the ingestor does with a log's tree heads (docs/ingest.md "Verified logs"). <see cref="Warn"/>
/// counts and logs a failure and keeps following; <see cref="Enforce"/> stops following the log until the ingestor is
/// restarted; <see cref="Off"/> checks nothing and makes no extra requests.
/// </summary>
public enum VerifyMode
{
    Warn = 0,
    Enforce = 1,
    Off = 2,
}
