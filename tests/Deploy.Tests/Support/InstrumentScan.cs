using System.Text.RegularExpressions;

namespace Certstream.Deploy.Tests.Support;

/// <summary>An instrument the services create: its kind (the Create… method), name and unit, as written in the code.</summary>
internal sealed record ScannedInstrument(string Kind, string Name, string? Unit, string File);

/// <summary>
/// Reads <c>meter.CreateCounter&lt;long&gt;("name", "unit", …)</c> calls out of the C# sources under services/,
/// shared/ and tools/. Names and units must be string literals (named <c>unit:</c> arguments too); a call whose
/// name is not a literal is reported so the scan never misses one silently.
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
                foreach (Match call in CreateCall().Matches(text))
                {
                    var args = Arguments(text, call.Index + call.Length);
                    var kind = call.Groups["kind"].Value;
                    var name = Literal(args.FirstOrDefault());
                    if (name is null)
                    {
                        skipped.Add($"{relative}: {kind}({args.FirstOrDefault()}…)");
                        continue;
                    }
                    // Synchronous instruments take (name, unit, …); observable ones (name, callback, unit, …).
                    var unitAt = kind.StartsWith("Observable", StringComparison.Ordinal) ? 2 : 1;
                    var named = args.FirstOrDefault(a => a.StartsWith("unit:", StringComparison.Ordinal));
                    var unit = named is not null ? Literal(named["unit:".Length..].Trim())
                        : args.Count > unitAt && !args[unitAt].Contains(':', StringComparison.Ordinal) ? Literal(args[unitAt]) : null;
                    found.Add(new ScannedInstrument(kind, name, unit, relative));
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

    [GeneratedRegex(@"\.Create(?<kind>Counter|UpDownCounter|Histogram|Gauge|ObservableCounter|ObservableUpDownCounter|ObservableGauge)\s*(<[^>()]*>)?\s*\(")]
    private static partial Regex CreateCall();

    [GeneratedRegex(@"^""(?<value>[^""\\]*)""$")]
    private static partial Regex StringLiteral();
}
