using Certstream.Hosting.Configuration;

namespace Certstream.Deploy.Tests.Support;

/// <summary>
/// Checks a <c>CERTSTREAM_*</c> variable the deployment files set: either one of the two log variables read
/// outside the config file, or an override the real <see cref="ConfigLoader"/> accepts on top of config.yaml.
/// </summary>
internal static class CertstreamVariables
{
    private static readonly string[] Sections = ["NATS", "GENERAL", "INGESTOR", "PARSER", "WEBSERVER", "PROMETHEUS"];

    // README "Outside the file": these two never reach ConfigLoader, so their values are checked here.
    private static readonly Dictionary<string, string[]> LogVariables = new(StringComparer.Ordinal)
    {
        ["CERTSTREAM_LOG_LEVEL"] = ["trace", "debug", "info", "warning", "error", "critical", "none"],
        ["CERTSTREAM_LOG_FORMAT"] = ["text", "json"],
    };

    // nats.password is refused without nats.user, so a password is checked alongside a user.
    private static readonly Dictionary<string, (string Name, string Value)> Companions = new(StringComparer.Ordinal)
    {
        ["CERTSTREAM_NATS_PASSWORD"] = ("CERTSTREAM_NATS_USER", "certstream"),
    };

    /// <summary>Null when <paramref name="name"/>=<paramref name="value"/> is accepted, else why not.</summary>
    public static string? Problem(string name, string value)
    {
        if (LogVariables.TryGetValue(name, out var allowed))
            return allowed.Contains(value, StringComparer.Ordinal) ? null : $"{name}: \"{value}\" is not one of {string.Join(", ", allowed)}";
        // ConfigLoader ignores variables outside its sections, so a name like CERTSTREAM_FOO_BAR would pass unseen.
        if (!Sections.Any(s => name.StartsWith($"CERTSTREAM_{s}_", StringComparison.Ordinal)))
            return $"{name}: names no config section ({string.Join(", ", Sections)}) and is not a log variable";
        var environment = new Dictionary<string, string>(StringComparer.Ordinal) { [name] = value };
        if (Companions.TryGetValue(name, out var companion)) environment[companion.Name] = companion.Value;
        try
        {
            ConfigLoader.Parse(Repo.Text("config.yaml"), "config.yaml", environment);
            return null;
        }
        catch (ConfigException e)
        {
            return e.Message;
        }
    }
}
