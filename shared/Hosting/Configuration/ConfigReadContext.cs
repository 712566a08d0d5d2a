using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Certstream.Hosting.Configuration;

/// <summary>
/// State shared by the sections of one load: the file's display name, the environment overrides,
/// which node came from which variable (so errors point at the variable, not a line), and which
/// variable names were asked for (so a misspelt one is reported).
/// </summary>
internal sealed class ConfigReadContext
{
    public const string EnvironmentPrefix = "CERTSTREAM_";

    private readonly Dictionary<YamlNode, string> _environmentNodes = new(ReferenceEqualityComparer.Instance);
    private readonly HashSet<string> _askedVariables = new(StringComparer.Ordinal);

    public ConfigReadContext(string? fileName, IReadOnlyDictionary<string, string> environment)
    {
        FileName = fileName;
        Environment = environment;
    }

    /// <summary>The file as the operator named it, or null when only defaults and environment are used.</summary>
    public string? FileName { get; }

    public IReadOnlyDictionary<string, string> Environment { get; }

    public static string VariableName(string keyPath) =>
        EnvironmentPrefix + keyPath.Replace('.', '_').ToUpperInvariant();

    /// <summary>The override for a key, as a node: a scalar, or for lists a sequence (flow YAML or comma-separated).</summary>
    public YamlNode? Override(string keyPath, bool isList)
    {
        var name = VariableName(keyPath);
        _askedVariables.Add(name);
        if (!Environment.TryGetValue(name, out var text)) return null;
        YamlNode node = isList ? ListFromVariable(name, text) : new YamlScalarNode(text);
        Remember(node, name);
        return node;
    }

    /// <summary>Where a node came from: <c>file:line</c> or <c>env NAME</c>.</summary>
    public string Where(YamlNode? node)
    {
        if (node is not null && _environmentNodes.TryGetValue(node, out var variable)) return "env " + variable;
        var file = FileName ?? "(defaults)";
        return node is null ? file : $"{file}:{node.Start.Line}";
    }

    public ConfigException Error(YamlNode? node, string keyPath, string problem) =>
        new($"{Where(node)}: {keyPath}: {problem}");

    /// <summary>A CERTSTREAM_&lt;SECTION&gt;_… variable that names no key is a typo: refuse it like an unknown key.</summary>
    public void RejectUnknownVariables(IEnumerable<string> sections)
    {
        var prefixes = sections.Select(s => EnvironmentPrefix + s.ToUpperInvariant() + "_").ToArray();
        foreach (var name in Environment.Keys.Order(StringComparer.Ordinal))
        {
            if (_askedVariables.Contains(name) || !prefixes.Any(p => name.StartsWith(p, StringComparison.Ordinal))) continue;
            throw new ConfigException($"env {name}: unknown key{KeySuggestion.Hint(name, _askedVariables)}");
        }
    }

    private static YamlNode ListFromVariable(string name, string text)
    {
        var trimmed = text.Trim();
        if (!trimmed.StartsWith('['))
        {
            var items = trimmed.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            return new YamlSequenceNode(items.Select(item => (YamlNode)new YamlScalarNode(item)));
        }
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(trimmed));
        }
        catch (YamlException e)
        {
            throw new ConfigException($"env {name}: not a YAML flow list: {YamlErrors.Describe(e)}", e);
        }
        return stream.Documents[0].RootNode;
    }

    private void Remember(YamlNode node, string variable)
    {
        _environmentNodes[node] = variable;
        foreach (var child in node.AllNodes) _environmentNodes[child] = variable;
    }
}
