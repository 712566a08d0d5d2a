using Certstream.Hosting;
using Certstream.Hosting.Configuration;

namespace Certstream.Edge;

/// <summary>
/// The three stream paths as the edge routes them. The config loader checks each path's form; what only the edge
/// knows is checked here at start-up: routing ignores case and trailing slashes, and the edge's other endpoints
/// have fixed paths.
/// </summary>
internal static class StreamPaths
{
    private static readonly string[] Keys = ["webserver.lite_url", "webserver.full_url", "webserver.domains_only_url"];

    /// <summary>A configured path without its trailing slash ("/" stays "/").</summary>
    public static string Normalize(string path) => path.Length > 1 ? path.TrimEnd('/') : path;

    /// <summary>The path of a stream's latest message: <c>/example.json</c> for a stream at "/", else <c>&lt;path&gt;/example.json</c>.</summary>
    public static string Example(string normalizedPath) => normalizedPath == "/" ? "/example.json" : normalizedPath + "/example.json";

    /// <summary>Throws <see cref="ArgumentException"/> naming the offending key (README "Configuration": bad values stop start-up).</summary>
    public static void Validate(WebserverOptions webserver, PrometheusOptions prometheus)
    {
        var paths = new[] { Normalize(webserver.LiteUrl), Normalize(webserver.FullUrl), Normalize(webserver.DomainsOnlyUrl) };
        if (paths.Distinct(StringComparer.OrdinalIgnoreCase).Count() != paths.Length)
            throw new ArgumentException("webserver.lite_url, full_url and domains_only_url must differ");
        var reserved = new[]
        {
            "/example.json", "/latest.json", "/stats", "/sse", Normalize(prometheus.MetricsUrl),
            ServiceDefaults.LivenessPath, ServiceDefaults.ReadinessPath,
        };
        foreach (var (path, key) in paths.Zip(Keys))
        {
            if (reserved.Contains(path, StringComparer.OrdinalIgnoreCase))
                throw new ArgumentException($"{key}: '{path}' is another endpoint's path");
        }
    }
}
