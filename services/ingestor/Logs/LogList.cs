using System.Text.Json;

namespace Certstream.Ingestor.Logs;

/// <summary>Chrome's v3 <c>log_list.json</c> (Chrome's log list v3, docs/ingest.md): every operator's <c>logs</c> and <c>tiled_logs</c>.</summary>
internal sealed record LogList(string Version, IReadOnlyList<ListedLog> Logs)
{
    /// <summary>Parses the list; throws <see cref="JsonException"/> when the document does not have the v3 shape.</summary>
    public static LogList Parse(ReadOnlyMemory<byte> json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("operators", out var operators) || operators.ValueKind != JsonValueKind.Array)
            throw new JsonException("log list: no operators array");

        var version = root.TryGetProperty("version", out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : "";
        var logs = new List<ListedLog>();
        foreach (var op in operators.EnumerateArray())
        {
            var name = StringOrEmpty(op, "name");
            // Tiled logs are read from their monitoring prefix; the submission prefix serves only the write API (c2sp.org/static-ct-api).
            Collect(op, "logs", LogKind.Rfc6962, name, logs, "url");
            Collect(op, "tiled_logs", LogKind.Tiled, name, logs, "monitoring_url", "submission_url");
        }
        return new LogList(version, logs);
    }

    private static void Collect(JsonElement op, string property, LogKind kind, string operatorName, List<ListedLog> into, params string[] urlKeys)
    {
        if (!op.TryGetProperty(property, out var array) || array.ValueKind != JsonValueKind.Array) return;
        foreach (var log in array.EnumerateArray())
        {
            if (log.ValueKind != JsonValueKind.Object) continue;
            var url = urlKeys.Select(k => StringOrEmpty(log, k)).FirstOrDefault(u => u.Length > 0);
            if (url is null) continue;
            into.Add(new ListedLog(url, StringOrEmpty(log, "description"), operatorName, kind, StateOf(log), StringOrEmpty(log, "key")));
        }
    }

    // "state has exactly one key among pending, qualified, usable, readonly, retired, rejected" (Chrome's log list v3, docs/ingest.md).
    private static string? StateOf(JsonElement log)
    {
        if (!log.TryGetProperty("state", out var state) || state.ValueKind != JsonValueKind.Object) return null;
        foreach (var property in state.EnumerateObject()) return property.Name;
        return null;
    }

    private static string StringOrEmpty(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() ?? "" : "";
}
