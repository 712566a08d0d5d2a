using System.Text;

namespace Certstream.Hosting.Metrics;

/// <summary>
/// Turns System.Diagnostics.Metrics names and units into Prometheus metric and label names.
/// </summary>
/// <remarks>
/// The rule (kept small so a name in the code can be found in Grafana by eye):
/// <list type="number">
/// <item>Sanitize: ASCII letters and digits are kept, camelCase gets an underscore at each word start and
/// everything is lowercased (promtool lints camelCase); every other character (<c>.</c>, <c>-</c>, <c>:</c>,
/// space, non-ASCII) becomes <c>_</c>; runs of underscores collapse to one, trailing ones go, and a leading
/// digit gets a <c>_</c> in front. <c>certstream.edge.messagesSent</c> → <c>certstream_edge_messages_sent</c>.</item>
/// <item>Unit: only base units Prometheus recommends get a suffix (<see cref="UnitSuffix"/>), appended unless the
/// name already ends with it. Prefixed units (<c>ms</c>, <c>KiBy</c>), dimensionless <c>1</c> and UCUM
/// annotations (<c>{message}</c>) add nothing: values are never rescaled, so record in base units to get one.</item>
/// <item>Counters (<c>Counter&lt;T&gt;</c>, <c>ObservableCounter&lt;T&gt;</c>) end in <c>_total</c>, placed after the
/// unit (<c>process_cpu_seconds_total</c>) and never doubled.</item>
/// </list>
/// </remarks>
internal static class MetricNames
{
    private const string TotalSuffix = "_total";

    /// <summary>The Prometheus family name of an instrument.</summary>
    public static string FamilyName(string instrumentName, string? unit, bool isCounter)
    {
        var name = Sanitize(instrumentName);
        if (isCounter && name.EndsWith(TotalSuffix, StringComparison.Ordinal) && name.Length > TotalSuffix.Length)
            name = name[..^TotalSuffix.Length];

        var suffix = UnitSuffix(unit);
        if (suffix is not null && name != suffix && !name.EndsWith("_" + suffix, StringComparison.Ordinal))
            name = name + "_" + suffix;

        return isCounter ? name + TotalSuffix : name;
    }

    /// <summary>A label name: the same sanitizing as metric names.</summary>
    public static string LabelName(string tagKey) => Sanitize(tagKey);

    /// <summary>
    /// The name suffix for a UCUM unit (as OpenTelemetry semantic conventions write them), or null.
    /// <c>A/B</c> becomes <c>A_per_B</c> when both sides are known (<c>By/s</c> → <c>bytes_per_second</c>).
    /// </summary>
    public static string? UnitSuffix(string? unit)
    {
        if (string.IsNullOrWhiteSpace(unit)) return null;
        var unitSpan = unit.AsSpan().Trim();
        var slash = unitSpan.IndexOf('/');
        if (slash < 0) return BaseUnit(unitSpan);

        var per = PerUnit(unitSpan[(slash + 1)..]);
        if (per is null) return null;
        var numerator = unitSpan[..slash];
        // "{packet}/s" counts things per second: only the rate part is a unit.
        if (numerator.Length > 0 && numerator[0] == '{' && numerator[^1] == '}') return "per_" + per;
        var top = BaseUnit(numerator);
        return top is null ? null : top + "_per_" + per;
    }

    // Base units only: promtool rejects names with prefixed units ("use base unit seconds instead of milliseconds").
    private static string? BaseUnit(ReadOnlySpan<char> unit) => unit switch
    {
        "s" => "seconds",
        "By" => "bytes",
        "%" => "percent",
        "m" => "meters",
        "g" => "grams",
        "V" => "volts",
        "A" => "amperes",
        "J" => "joules",
        "W" => "watts",
        "Hz" => "hertz",
        "Cel" => "celsius",
        "K" => "kelvin",
        _ => null,
    };

    private static string? PerUnit(ReadOnlySpan<char> unit) => unit switch
    {
        "s" => "second",
        "min" => "minute",
        "h" => "hour",
        "d" => "day",
        _ => null,
    };

    /// <summary>Applies the sanitizing rule described on the type.</summary>
    public static string Sanitize(string name)
    {
        var builder = new StringBuilder(name.Length + 4);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsAsciiLetterUpper(c))
            {
                // A word starts at an upper-case letter after a lower-case one or a digit ("messagesSent"),
                // or at the last capital of an acronym followed by lower case ("HTTPServer" → "http_server").
                var previous = i > 0 ? name[i - 1] : '\0';
                var next = i + 1 < name.Length ? name[i + 1] : '\0';
                if (char.IsAsciiLetterLower(previous) || char.IsAsciiDigit(previous)
                    || (char.IsAsciiLetterUpper(previous) && char.IsAsciiLetterLower(next)))
                    AppendUnderscore(builder);
                builder.Append(char.ToLowerInvariant(c));
            }
            else if (char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c))
            {
                builder.Append(c);
            }
            else
            {
                AppendUnderscore(builder);
            }
        }

        while (builder.Length > 1 && builder[^1] == '_') builder.Length--;
        if (builder.Length == 0) return "_";
        if (char.IsAsciiDigit(builder[0])) builder.Insert(0, '_');
        return builder.ToString();
    }

    private static void AppendUnderscore(StringBuilder builder)
    {
        if (builder.Length == 0 || builder[^1] != '_') builder.Append('_');
    }
}
