using System.Text.RegularExpressions;

namespace Certstream.Deploy.Tests.Support;

/// <summary>
/// A small stand-in for Helm's parser (no Helm binary here): every <c>{{</c> closes with <c>}}</c>, every
/// <c>if</c>/<c>range</c>/<c>with</c>/<c>define</c>/<c>block</c> ends with one <c>end</c>, and <c>else</c> sits inside one.
/// </summary>
internal static partial class TemplateBlocks
{
    private static readonly string[] Openers = ["if", "range", "with", "define", "block"];

    /// <summary>One <c>{{ … }}</c> action: its text without delimiters and trim markers, where it starts and ends.</summary>
    public sealed record TemplateAction(string Text, string Keyword, int Start, int End, int Line);

    /// <summary>The problems found, each with its line; empty when the blocks balance.</summary>
    public static IReadOnlyList<string> Problems(string template)
    {
        var problems = new List<string>();
        var open = new Stack<(string Keyword, int Line)>();
        foreach (var action in Actions(template, problems))
        {
            if (Openers.Contains(action.Keyword))
            {
                open.Push((action.Keyword, action.Line));
            }
            else if (action.Keyword == "else")
            {
                if (open.Count == 0 || open.Peek().Keyword is not ("if" or "with" or "range"))
                    problems.Add($"line {action.Line}: 'else' outside if/with/range");
            }
            else if (action.Keyword == "end")
            {
                if (open.Count == 0) problems.Add($"line {action.Line}: 'end' without an open block");
                else open.Pop();
            }
        }
        foreach (var (keyword, line) in open)
            problems.Add($"line {line}: '{keyword}' never ends");
        return problems;
    }

    /// <summary>The named templates of a file: name → body between <c>define</c> and its own <c>end</c>.</summary>
    public static Dictionary<string, string> Defines(string template)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        var depth = 0;
        (string Name, int BodyStart)? current = null;
        foreach (var action in Actions(template, []))
        {
            if (Openers.Contains(action.Keyword))
            {
                if (depth == 0 && action.Keyword == "define")
                    current = (DefineName().Match(action.Text).Groups["name"].Value, action.End);
                depth++;
            }
            else if (action.Keyword == "end" && depth > 0 && --depth == 0 && current is { } define)
            {
                result[define.Name] = template[define.BodyStart..action.Start];
                current = null;
            }
        }
        return result;
    }

    private static IEnumerable<TemplateAction> Actions(string template, List<string> problems)
    {
        var position = 0;
        while (true)
        {
            var start = template.IndexOf("{{", position, StringComparison.Ordinal);
            var stray = template.IndexOf("}}", position, StringComparison.Ordinal);
            if (stray >= 0 && (start < 0 || stray < start))
            {
                problems.Add($"line {LineOf(template, stray)}: '}}}}' without '{{{{'");
                position = stray + 2;
                continue;
            }
            if (start < 0) yield break;
            var end = template.IndexOf("}}", start + 2, StringComparison.Ordinal);
            var nested = template.IndexOf("{{", start + 2, StringComparison.Ordinal);
            var line = LineOf(template, start);
            if (end < 0 || (nested >= 0 && nested < end))
            {
                problems.Add($"line {line}: '{{{{' not closed before the next '{{{{'");
                position = start + 2;
                continue;
            }
            var text = template[(start + 2)..end].Trim('-', ' ', '\t', '\r', '\n');
            position = end + 2;
            if (text.StartsWith("/*", StringComparison.Ordinal))
            {
                if (!text.EndsWith("*/", StringComparison.Ordinal)) problems.Add($"line {line}: comment not closed inside its action");
                continue;
            }
            yield return new TemplateAction(text, Keyword().Match(text).Value, start, end + 2, line);
        }
    }

    private static int LineOf(string text, int index) => text.AsSpan(0, index).Count('\n') + 1;

    [GeneratedRegex(@"^[a-z]+")]
    private static partial Regex Keyword();

    [GeneratedRegex(@"^define\s+""(?<name>[^""]+)""")]
    private static partial Regex DefineName();
}
