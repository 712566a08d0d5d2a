namespace Certstream.Ingestor.Logs;

/// <summary>
/// Which logs to follow (docs/ingest.md): the listed logs in one of <c>log_states</c> (unless
/// <c>disable_default_logs</c>), plus <c>additional_logs</c> and <c>additional_tiled_logs</c>, minus
/// <c>excluded_logs</c> by URL or operator. Logs are identified by their normalized-URL key, first wins.
/// </summary>
internal static class LogSelection
{
    /// <param name="listed">The parsed log list, or null when it is disabled or not fetched yet.</param>
    /// <param name="keyOf">README "NATS subjects" key of a URL (Contracts' <c>LogKey.FromUrl</c>).</param>
    /// <param name="problems">Receives one line per ignored entry (bad URL).</param>
    public static IReadOnlyList<LogDescriptor> Choose(LogList? listed, IngestorSettings settings, Func<string, string> keyOf, ICollection<string>? problems = null)
    {
        var chosen = new Dictionary<string, LogDescriptor>(StringComparer.Ordinal);
        var order = new List<string>();
        void Add(string url, string description, string op, LogKind kind, string publicKey)
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp))
            {
                problems?.Add($"ignored log with a URL that is not http(s): '{url}'");
                return;
            }
            var key = keyOf(url);
            if (chosen.ContainsKey(key)) return;
            chosen[key] = new LogDescriptor(key, url, description, op, kind, publicKey);
            order.Add(key);
        }

        if (!settings.DisableDefaultLogs && listed is not null)
        {
            var states = new HashSet<string>(settings.LogStates, StringComparer.OrdinalIgnoreCase);
            // A log without a state (and the retired "bogus placeholder" entries) is not in any wanted state.
            foreach (var log in listed.Logs.Where(l => l.State is not null && states.Contains(l.State)))
                Add(log.Url, log.Description, log.Operator, log.Kind, log.Key);
        }
        foreach (var log in settings.AdditionalLogs) Add(log.Url, log.Description, log.Operator, LogKind.Rfc6962, log.Key);
        foreach (var log in settings.AdditionalTiledLogs) Add(log.Url, log.Description, log.Operator, LogKind.Tiled, log.Key);

        var excludedKeys = settings.ExcludedLogs.Where(e => !string.IsNullOrWhiteSpace(e.Url)).Select(e => keyOf(e.Url!)).ToHashSet(StringComparer.Ordinal);
        var excludedOperators = settings.ExcludedLogs.Where(e => !string.IsNullOrWhiteSpace(e.Operator)).Select(e => e.Operator!.Trim()).ToHashSet(StringComparer.OrdinalIgnoreCase);
        return order.Select(k => chosen[k])
            .Where(l => !excludedKeys.Contains(l.Key) && !excludedOperators.Contains(l.Operator.Trim()))
            .ToList();
    }
}
