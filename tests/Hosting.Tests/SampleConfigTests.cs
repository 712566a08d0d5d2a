using System.Reflection;
using System.Text;
using Certstream.Hosting.Configuration;
using Certstream.TestSupport;
using YamlDotNet.RepresentationModel;

namespace Certstream.Hosting.Tests;

/// <summary>The repository's config.yaml is the documentation of every key: it must list them all, with their defaults.</summary>
public sealed class SampleConfigTests
{
    private static readonly string SamplePath = Path.Combine(RepoPaths.Root, "config.yaml");

    [Fact]
    public void Loading_the_sample_gives_the_built_in_defaults() =>
        Assert.Equal(new CertstreamConfig(), ConfigLoader.Load(SamplePath, new Dictionary<string, string>()));

    [Fact]
    public void The_sample_lists_every_key_of_the_options()
    {
        var sampleKeys = LeafKeys(LoadSample(), "").ToHashSet(StringComparer.Ordinal);
        var optionKeys = OptionKeys(typeof(CertstreamConfig), "").ToList();
        Assert.NotEmpty(optionKeys);
        // Compared as text so a failure lists the keys.
        Assert.Equal("", string.Join(", ", optionKeys.Where(k => !sampleKeys.Contains(k))));
        Assert.Equal("", string.Join(", ", sampleKeys.Where(k => !optionKeys.Contains(k))));
    }

    [Fact]
    public void Every_key_of_the_sample_can_be_set_by_its_environment_variable()
    {
        // Setting each variable to the sample's own value must be accepted (no "unknown key") and change nothing.
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (path, node) in Leaves(LoadSample(), ""))
            environment[ConfigReadContext.VariableName(path)] = node is YamlScalarNode scalar
                ? scalar.Value ?? ""
                : "[" + string.Join(", ", ((YamlSequenceNode)node).Children.Select(item => ((YamlScalarNode)item).Value)) + "]";
        Assert.Equal(56, environment.Count);
        Assert.Equal(new CertstreamConfig(), ConfigLoader.FromEnvironment(environment));
    }

    private static YamlMappingNode LoadSample()
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(File.ReadAllText(SamplePath)));
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    private static IEnumerable<string> LeafKeys(YamlMappingNode mapping, string prefix) =>
        Leaves(mapping, prefix).Select(l => l.Path);

    private static IEnumerable<(string Path, YamlNode Node)> Leaves(YamlMappingNode mapping, string prefix)
    {
        foreach (var (key, value) in mapping.Children)
        {
            var path = prefix + ((YamlScalarNode)key).Value;
            if (value is YamlMappingNode nested)
            {
                foreach (var leaf in Leaves(nested, path + ".")) yield return leaf;
            }
            else
            {
                yield return (path, value);
            }
        }
    }

    // The settable properties of the option records, named as in the file (PascalCase → snake_case).
    private static IEnumerable<string> OptionKeys(Type type, string prefix)
    {
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.SetMethod is null || property.Name == "EqualityContract") continue;
            var path = prefix + SnakeCase(property.Name);
            if (property.PropertyType.IsClass && property.PropertyType.Namespace == typeof(CertstreamConfig).Namespace
                && property.PropertyType.Name.EndsWith("Options", StringComparison.Ordinal))
            {
                foreach (var key in OptionKeys(property.PropertyType, path + ".")) yield return key;
            }
            else
            {
                yield return path;
            }
        }
    }

    private static string SnakeCase(string name)
    {
        var text = new StringBuilder();
        foreach (var c in name)
        {
            if (char.IsUpper(c) && text.Length > 0) text.Append('_');
            text.Append(char.ToLowerInvariant(c));
        }
        return text.ToString();
    }
}
