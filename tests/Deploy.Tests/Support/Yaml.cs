using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Certstream.Deploy.Tests.Support;

/// <summary>Reads the repository's YAML files as node trees, with <c>&lt;&lt;: *anchor</c> merges applied as Compose does.</summary>
internal static class Yaml
{
    public static YamlMappingNode LoadFile(string path) => Parse(File.ReadAllText(path), path);

    public static YamlMappingNode Parse(string text, string name)
    {
        var stream = new YamlStream();
        stream.Load(new MergingParser(new Parser(new StringReader(text))));
        Assert.True(stream.Documents.Count == 1, $"{name}: expected one YAML document");
        return Assert.IsType<YamlMappingNode>(stream.Documents[0].RootNode);
    }

    public static YamlNode? Get(this YamlNode node, string key) =>
        node is YamlMappingNode map && map.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

    public static YamlMappingNode Map(this YamlNode node, string key) =>
        node.Get(key) as YamlMappingNode ?? throw new KeyNotFoundException($"no mapping '{key}' at line {node.Start.Line}");

    public static string? Text(this YamlNode node, string key) => (node.Get(key) as YamlScalarNode)?.Value;

    public static IEnumerable<string> Texts(this YamlNode node, string key) =>
        node.Get(key) is YamlSequenceNode list ? list.Children.OfType<YamlScalarNode>().Select(s => s.Value ?? "") : [];

    public static IEnumerable<(string Key, YamlNode Value)> Entries(this YamlNode? node) =>
        node is YamlMappingNode map ? map.Children.Select(c => (((YamlScalarNode)c.Key).Value ?? "", c.Value)) : [];

    /// <summary>Follows a dotted path of mapping keys; null when any step is missing or not a mapping.</summary>
    public static YamlNode? AtPath(this YamlNode node, string dottedPath)
    {
        YamlNode? current = node;
        foreach (var key in dottedPath.Split('.', StringSplitOptions.RemoveEmptyEntries))
            current = current?.Get(key);
        return current;
    }

    public static string Serialize(YamlNode root)
    {
        var writer = new StringWriter();
        new YamlStream(new YamlDocument(root)).Save(writer, assignAnchors: false);
        return writer.ToString();
    }
}
