using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace Certstream.Deploy.Tests.Support;

/// <summary>
/// The chart as text: values.yaml as a tree, the templates, the named templates of _helpers.tpl, and which
/// templates include them with which component — enough to check the chart without rendering it.
/// </summary>
internal sealed partial class HelmChart
{
    private HelmChart(YamlMappingNode chart, YamlMappingNode values, IReadOnlyDictionary<string, string> templates)
    {
        Chart = chart;
        Values = values;
        Templates = templates;
        Defines = templates.Values.SelectMany(TemplateBlocks.Defines).ToDictionary(d => d.Key, d => d.Value, StringComparer.Ordinal);
    }

    public static HelmChart Load()
    {
        var dir = Repo.ChartDir;
        var templates = Directory.GetFiles(Path.Combine(dir, "templates"))
            .Order(StringComparer.Ordinal)
            .ToDictionary(f => Path.GetFileName(f), File.ReadAllText, StringComparer.Ordinal);
        return new HelmChart(Yaml.LoadFile(Path.Combine(dir, "Chart.yaml")), Yaml.LoadFile(Path.Combine(dir, "values.yaml")), templates);
    }

    public YamlMappingNode Chart { get; }
    public YamlMappingNode Values { get; }

    /// <summary>File name → text, _helpers.tpl included.</summary>
    public IReadOnlyDictionary<string, string> Templates { get; }

    /// <summary>The files Helm renders into manifests (partials such as _helpers.tpl start with "_").</summary>
    public IEnumerable<string> ManifestTemplates => Templates.Keys.Where(f => !f.StartsWith('_'));

    /// <summary>Named template → its body.</summary>
    public IReadOnlyDictionary<string, string> Defines { get; }

    /// <summary>Every <c>.Values.a.b</c> path a template names, with the file it is in.</summary>
    public IEnumerable<(string File, string Path)> ValuePaths() =>
        Templates.SelectMany(t => ValuesReference().Matches(t.Value).Select(m => (t.Key, m.Groups["path"].Value.TrimStart('.'))));

    /// <summary>The <c>include "name" (dict "root" . "component" "x" …)</c> calls of a file.</summary>
    public static IEnumerable<(string Name, string Component)> ComponentIncludes(string template) =>
        ComponentInclude().Matches(template).Select(m => (m.Groups["name"].Value, m.Groups["component"].Value));

    /// <summary>The <c>$values.a.b</c> paths a named template reads from its component's values block.</summary>
    public IEnumerable<string> ComponentValuePaths(string define) =>
        ComponentValues().Matches(Defines[define]).Select(m => m.Groups["path"].Value.TrimStart('.'));

    /// <summary>The Kubernetes kinds a template file produces: its own <c>kind:</c> lines and those of the named templates it includes.</summary>
    public IReadOnlyList<string> KindsOf(string file)
    {
        var text = Templates[file];
        var kinds = KindLine().Matches(text).Select(m => m.Groups["kind"].Value).ToList();
        foreach (var (name, _) in ComponentIncludes(text))
            kinds.AddRange(KindLine().Matches(Defines[name]).Select(m => m.Groups["kind"].Value));
        return kinds;
    }

    /// <summary>The node at a dotted values path, or null.</summary>
    public YamlNode? Value(string dottedPath) => Values.AtPath(dottedPath);

    [GeneratedRegex(@"\.Values(?<path>(\.[A-Za-z_][A-Za-z0-9_]*)+)")]
    private static partial Regex ValuesReference();

    [GeneratedRegex(@"include\s+""(?<name>[^""]+)""\s+\(dict\s+""root""\s+[$.]\S*\s+""component""\s+""(?<component>[a-z]+)""")]
    private static partial Regex ComponentInclude();

    [GeneratedRegex(@"\$values(?<path>(\.[A-Za-z_][A-Za-z0-9_]*)+)")]
    private static partial Regex ComponentValues();

    [GeneratedRegex(@"^kind:\s*(?<kind>\w+)", RegexOptions.Multiline)]
    private static partial Regex KindLine();
}
