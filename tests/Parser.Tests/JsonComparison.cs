using System.Text;
using System.Text.Json.Nodes;

namespace Certstream.Parser.Tests;

/// <summary>Compares two JSON documents path by path, in document order, so both values and key order are checked.</summary>
internal static class JsonComparison
{
    public static List<(string Path, string Value)> Flatten(JsonNode? node)
    {
        var result = new List<(string, string)>();
        Walk(node, "$", result);
        return result;
    }

    private static void Walk(JsonNode? node, string path, List<(string, string)> result)
    {
        switch (node)
        {
            case JsonObject obj:
                result.Add((path, "{}"));
                foreach (var (key, value) in obj)
                    Walk(value, path + "." + key, result);
                break;
            case JsonArray array:
                result.Add((path, $"[{array.Count}]"));
                for (var i = 0; i < array.Count; i++)
                    Walk(array[i], $"{path}[{i}]", result);
                break;
            default:
                result.Add((path, node?.ToJsonString() ?? "null"));
                break;
        }
    }

    /// <summary>Null when equal; otherwise a readable list of the first differences.</summary>
    public static string? Difference(JsonNode? expected, JsonNode? actual)
    {
        var e = Flatten(expected);
        var a = Flatten(actual);
        var report = new StringBuilder();
        var shown = 0;
        for (var i = 0; i < Math.Max(e.Count, a.Count) && shown < 8; i++)
        {
            var ei = i < e.Count ? e[i] : ("<none>", "");
            var ai = i < a.Count ? a[i] : ("<none>", "");
            if (ei == ai)
                continue;
            report.AppendLine(ei.Item1 == ai.Item1
                ? $"  {ei.Item1}: expected {Trim(ei.Item2)} but got {Trim(ai.Item2)}"
                : $"  at #{i}: expected key {ei.Item1} = {Trim(ei.Item2)}, got key {ai.Item1} = {Trim(ai.Item2)}");
            shown++;
        }
        return shown == 0 ? null : report.ToString();
    }

    private static string Trim(string s) => s.Length > 160 ? s[..160] + "…" : s;
}
