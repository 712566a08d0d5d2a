using Microsoft.Extensions.Logging;

namespace Certstream.Hosting.Logging;

/// <summary>
/// Log level and format. They come from CERTSTREAM_LOG_LEVEL and CERTSTREAM_LOG_FORMAT rather than
/// the YAML file, so the file's keys stay those of README "Configuration" and the errors of loading it can be logged.
/// </summary>
internal sealed record LogSettings(LogLevel Level, bool Json)
{
    public const string LevelVariable = "CERTSTREAM_LOG_LEVEL";
    public const string FormatVariable = "CERTSTREAM_LOG_FORMAT";

    public static LogSettings Default { get; } = new(LogLevel.Information, Json: false);

    /// <summary>Reads both variables; a bad value is a one-line error naming the variable.</summary>
    public static (LogSettings? Settings, string? Error) FromEnvironment(IReadOnlyDictionary<string, string> environment)
    {
        var level = LogLevel.Information;
        if (environment.TryGetValue(LevelVariable, out var levelText) && levelText.Length > 0)
        {
            LogLevel? parsed = levelText.ToLowerInvariant() switch
            {
                "trace" => LogLevel.Trace,
                "debug" => LogLevel.Debug,
                "info" or "information" => LogLevel.Information,
                "warn" or "warning" => LogLevel.Warning,
                "error" => LogLevel.Error,
                "critical" => LogLevel.Critical,
                "none" => LogLevel.None,
                _ => null,
            };
            if (parsed is null)
                return (null, $"env {LevelVariable}: \"{levelText}\" is not a log level (trace, debug, info, warning, error, critical, none)");
            level = parsed.Value;
        }
        var json = false;
        if (environment.TryGetValue(FormatVariable, out var formatText) && formatText.Length > 0)
        {
            switch (formatText.ToLowerInvariant())
            {
                case "text": json = false; break;
                case "json": json = true; break;
                default: return (null, $"env {FormatVariable}: \"{formatText}\" is not a log format (text or json)");
            }
        }
        return (new LogSettings(level, json), null);
    }
}
