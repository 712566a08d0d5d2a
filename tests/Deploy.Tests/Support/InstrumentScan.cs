using System.Text.RegularExpressions;

namespace Certstream.Deploy.Tests.Support;

/// <summary>A metric the services declare: its kind (the prometheus-net Create… method), family name and label names, as written in the code.</summary>
internal sealed record ScannedInstrument(string Kind, string Name, IReadOnlyList<string> Labels, string File);

/// <summary>
/// Reads prometheus-net declarations — <c>factory.CreateCounter("name", "help", ["label", …])</c> — out of the C# sources
/// under services/, shared/ and tools/. Names must be string literals; a call whose name is not one is reported, so the
/// scan never misses one silently. Label names are read from a collection expression or array of literals, or from a
/// local <c>string[] x = [...]</c> declared in the same file.
/// </summary>
internal static partial class InstrumentScan
{
    public static IReadOnlyList<ScannedInstrument> Scan(out IReadOnlyList<string> unreadable)
    {
        var found = new List<ScannedInstrument>();
        var skipped = new List<string>();
        foreach (var dir in new[] { "services", "shared", "tools" })
        {
            foreach (var file in Directory.EnumerateFiles(Repo.Path(dir), "*.cs", SearchOption.AllDirectories))
            {
                var relative = Path.GetRelativePath(Repo.Path(), file);
                if (relative.Contains("/bin/", StringComparison.Ordinal) || relative.Contains("/obj/", StringComparison.Ordinal)) continue;
                var text = File.ReadAllText(file);
                var arrays = LabelArray().Matches(text).ToDictionary(m => m.Groups["name"].Value, m => Literals(m.Groups["items"].Value), StringComparer.Ordinal);
                foreach (Match call in CreateCall().Matches(text))
                {
                    var args = Arguments(text, call.Index + call.Length);
                    var kind = call.Groups["kind"].Value;
                    var name = Literal(args.FirstOrDefault());
                    if (name is null)
                    {
                        skipped.Add($"{relative}: Create{kind}({args.FirstOrDefault()}…)");
                        continue;
                    }
                    IReadOnlyList<string> labels = [];
                    if (args.Count > 2)
                    {
                        var third = args[2];
                        if (third.StartsWith('[') || third.StartsWith("new", StringComparison.Ordinal)) labels = Literals(third);
                        else if (arrays.TryGetValue(third, out var declared)) labels = declared;
                    }
                    found.Add(new ScannedInstrument(kind, name, labels, relative));
                }
            }
        }
        unreadable = skipped;
        return found;
    }

    // The top-level arguments of a call whose "(" was just read, split at commas outside brackets and strings.
    private static List<string> Arguments(string text, int position)
    {
        var args = new List<string>();
        var depth = 0;
        var start = position;
        for (var i = position; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '"')
            {
                i++;
                while (i < text.Length && text[i] != '"') i += text[i] == '\\' ? 2 : 1;
            }
            else if (c is '(' or '[' or '{') depth++;
            else if (c is ')' or ']' or '}')
            {
                if (depth-- == 0)
                {
                    args.Add(text[start..i].Trim());
                    break;
                }
            }
            else if (c == ',' && depth == 0)
            {
                args.Add(text[start..i].Trim());
                start = i + 1;
            }
        }
        return args;
    }

    private static string? Literal(string? argument)
    {
        if (argument is null) return null;
        var m = StringLiteral().Match(argument);
        return m.Success ? m.Groups["value"].Value : null;
    }

    private static List<string> Literals(string text) => [.. QuotedWord().Matches(text).Select(m => m.Groups["value"].Value)];

    [GeneratedRegex(@"\.Create(?<kind>Counter|Gauge|Histogram|Summary)\s*\(")]
    private static partial Regex CreateCall();

    [GeneratedRegex(@"^""(?<value>[^""\\]*)""$")]
    private static partial Regex StringLiteral();

    [GeneratedRegex(@"""(?<value>[a-z_][a-z0-9_]*)""")]
    private static partial Regex QuotedWord();

    [GeneratedRegex(@"string\[\]\s+(?<name>\w+)\s*=\s*(?<items>\[[^\]]*\])")]
    private static partial Regex LabelArray();
}
