using System.Globalization;
using System.Text.RegularExpressions;

namespace Certstream.TestSupport;

/// <summary>One sample of a Prometheus text exposition: its series name, labels and value.</summary>
public sealed record PrometheusSample(string Name, IReadOnlyDictionary<string, string> Labels, double Value);

/// <summary>Reads the samples and <c># TYPE</c> lines of a Prometheus text exposition (format 0.0.4), for assertions.</summary>
public static partial class PrometheusText
{
    public static IReadOnlyList<PrometheusSample> Samples(string exposition)
    {
        ArgumentNullException.ThrowIfNull(exposition);
        var samples = new List<PrometheusSample>();
        foreach (var line in exposition.Split('\n'))
        {
            if (line.Length == 0 || line[0] == '#') continue;
            var match = SampleLine().Match(line);
            if (!match.Success) throw new FormatException($"not a sample line: {line}");
            var labels = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (Match label in LabelPair().Matches(match.Groups["labels"].Value))
                labels[label.Groups["key"].Value] = Regex.Unescape(label.Groups["value"].Value);
            samples.Add(new PrometheusSample(match.Groups["name"].Value, labels, ParseValue(match.Groups["value"].Value)));
        }
        return samples;
    }

    /// <summary>Family name → type (counter, gauge, histogram, …) from the <c># TYPE</c> lines.</summary>
    public static IReadOnlyDictionary<string, string> Types(string exposition) =>
        TypeLine().Matches(exposition).ToDictionary(m => m.Groups["name"].Value, m => m.Groups["type"].Value, StringComparer.Ordinal);

    /// <summary>The sum of the samples named <paramref name="name"/> whose labels include every given pair (0 when none).</summary>
    public static double Value(string exposition, string name, params (string Key, string Value)[] labels) =>
        Samples(exposition).Where(s => s.Name == name && labels.All(l => s.Labels.TryGetValue(l.Key, out var v) && v == l.Value)).Sum(s => s.Value);

    private static double ParseValue(string text) => text switch
    {
        "+Inf" => double.PositiveInfinity,
        "-Inf" => double.NegativeInfinity,
        "NaN" => double.NaN,
        _ => double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture),
    };

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>.*)\})?\s+(?<value>\S+)(\s+\S+)?$")]
    private static partial Regex SampleLine();

    [GeneratedRegex(@"(?<key>[a-zA-Z_][a-zA-Z0-9_]*)=""(?<value>(?:[^""\\]|\\.)*)""")]
    private static partial Regex LabelPair();

    [GeneratedRegex(@"^# TYPE (?<name>\S+) (?<type>\S+)$", RegexOptions.Multiline)]
    private static partial Regex TypeLine();
}
