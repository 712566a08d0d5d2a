using YamlDotNet.RepresentationModel;

namespace Certstream.Hosting.Configuration;

/// <summary>
/// One mapping of the file (a section, a nested section or a list item), read key by key.
/// Each getter takes the key's default, applies the environment override if there is one, and
/// records the key as known, so <see cref="RejectUnknownKeys"/> can name anything left over.
/// </summary>
internal sealed class ConfigSection
{
    private readonly ConfigReadContext _context;
    private readonly YamlMappingNode? _node;
    private readonly bool _overridable;
    private readonly List<string> _knownKeys = [];
    private readonly Dictionary<string, YamlNode> _found = new(StringComparer.Ordinal);

    public ConfigSection(ConfigReadContext context, string path, YamlMappingNode? node, bool overridable)
    {
        _context = context;
        Path = path;
        _node = node;
        _overridable = overridable;
    }

    /// <summary>The dotted path of this mapping, e.g. <c>nats.tls</c> or <c>general.additional_logs[0]</c>.</summary>
    public string Path { get; }

    public string String(string key, string fallback) => Scalar(key, fallback, static text => (text, null));

    public bool Bool(string key, bool fallback) => Scalar(key, fallback, ConfigScalars.Bool);

    public int Int(string key, int fallback, int min, int max)
    {
        var node = Find(key, isList: false);
        if (node is null) return fallback;
        var text = RequireText(node, key);
        var (value, problem) = ConfigScalars.Integer(text);
        if (problem is null && (value < min || value > max)) problem = $"{text} is out of range ({min} to {max})";
        if (problem is not null) throw _context.Error(node, KeyPath(key), problem);
        return (int)value;
    }

    public int Port(string key, int fallback)
    {
        var node = Find(key, isList: false);
        if (node is null) return fallback;
        var text = RequireText(node, key);
        var (value, problem) = ConfigScalars.Integer(text);
        if (problem is null && (value < 1 || value > 65535)) problem = $"{text} is not a port (1 to 65535)";
        if (problem is not null) throw _context.Error(node, KeyPath(key), problem);
        return (int)value;
    }

    public TimeSpan Duration(string key, TimeSpan fallback, bool zeroAllowed)
    {
        var value = Scalar(key, fallback, ConfigScalars.Duration);
        if (value == TimeSpan.Zero && !zeroAllowed) throw Invalid(key, "must be longer than 0");
        return value;
    }

    public long Size(string key, long fallback)
    {
        var value = Scalar(key, fallback, ConfigScalars.Size);
        if (value == 0) throw Invalid(key, "must be larger than 0");
        return value;
    }

    /// <summary>A scalar parsed by <paramref name="parse"/>, which returns the value or a problem phrase.</summary>
    public T Scalar<T>(string key, T fallback, Func<string, (T Value, string? Problem)> parse)
    {
        var node = Find(key, isList: false);
        if (node is null) return fallback;
        // Strings may be left empty (null reads as ""); every other type needs a value.
        var scalar = (YamlScalarNode)node;
        var text = typeof(T) != typeof(string) ? RequireText(node, key) : IsNull(scalar) ? "" : scalar.Value ?? "";
        var (value, problem) = parse(text);
        if (problem is not null) throw _context.Error(node, KeyPath(key), problem);
        return value;
    }

    /// <summary>A list of scalars. From the environment: comma-separated, or a YAML flow list.</summary>
    public ConfigList<T> ScalarList<T>(string key, ConfigList<T> fallback, Func<string, (T Value, string? Problem)> parse) =>
        List(key, fallback, (item, itemPath) =>
        {
            if (item is not YamlScalarNode scalar || IsNull(scalar))
                throw _context.Error(item, itemPath, "expected a single value");
            var (value, problem) = parse(scalar.Value ?? "");
            if (problem is not null) throw _context.Error(item, itemPath, problem);
            return value;
        });

    /// <summary>A list of mappings, each read by <paramref name="read"/>. From the environment: a YAML flow list only.</summary>
    public ConfigList<T> MappingList<T>(string key, ConfigList<T> fallback, Func<ConfigSection, T> read) =>
        List(key, fallback, (item, itemPath) =>
        {
            if (item is not YamlMappingNode mapping) throw _context.Error(item, itemPath, "expected a mapping (key: value, …)");
            var section = new ConfigSection(_context, itemPath, mapping, overridable: false);
            var value = read(section);
            section.RejectUnknownKeys();
            return value;
        });

    /// <summary>A nested mapping; absent or empty reads as all defaults.</summary>
    public ConfigSection Section(string key)
    {
        _knownKeys.Add(key);
        var node = FileValue(key);
        if (node is null || (node is YamlScalarNode scalar && IsNull(scalar)))
            return new ConfigSection(_context, KeyPath(key), null, _overridable);
        if (node is not YamlMappingNode mapping) throw _context.Error(node, KeyPath(key), "expected a mapping (key: value, …)");
        return new ConfigSection(_context, KeyPath(key), mapping, _overridable);
    }

    /// <summary>Whether <paramref name="key"/> was given (in the file or the environment), not left at its default.</summary>
    public bool IsSet(string key) => _found.ContainsKey(key);

    /// <summary>An error about a value already read (cross-key checks), located where that value came from.</summary>
    public ConfigException Invalid(string key, string problem) =>
        _context.Error(_found.GetValueOrDefault(key) ?? _node, KeyPath(key), problem);

    /// <summary>Refuses the first key (in file order) that no getter asked for.</summary>
    public void RejectUnknownKeys()
    {
        if (_node is null) return;
        foreach (var keyNode in _node.Children.Keys)
        {
            if (keyNode is not YamlScalarNode { Value: { } name })
                throw _context.Error(keyNode, Path, "keys must be plain names");
            if (_knownKeys.Contains(name, StringComparer.Ordinal)) continue;
            var what = Path.Length == 0 ? "unknown section" : "unknown key";
            throw _context.Error(keyNode, KeyPath(name), what + KeySuggestion.Hint(name, _knownKeys));
        }
    }

    private ConfigList<T> List<T>(string key, ConfigList<T> fallback, Func<YamlNode, string, T> readItem)
    {
        var node = Find(key, isList: true);
        if (node is null) return fallback;
        if (node is YamlScalarNode scalar && IsNull(scalar)) return [];
        if (node is not YamlSequenceNode sequence) throw _context.Error(node, KeyPath(key), "expected a list");
        var items = new List<T>(sequence.Children.Count);
        foreach (var item in sequence.Children)
            items.Add(readItem(item, $"{KeyPath(key)}[{items.Count}]"));
        return ConfigList.From(items);
    }

    // The environment wins over the file. Null means "not set": use the default.
    private YamlNode? Find(string key, bool isList)
    {
        _knownKeys.Add(key);
        var node = (_overridable ? _context.Override(KeyPath(key), isList) : null) ?? FileValue(key);
        if (node is null) return null;
        _found[key] = node;
        if (!isList && node is not YamlScalarNode)
            throw _context.Error(node, KeyPath(key), node is YamlSequenceNode ? "expected a single value, not a list" : "expected a single value, not a mapping");
        return node;
    }

    private YamlNode? FileValue(string key)
    {
        if (_node is null) return null;
        foreach (var (k, v) in _node.Children)
        {
            if (k is YamlScalarNode { Value: { } name } && name == key) return v;
        }
        return null;
    }

    private string RequireText(YamlNode node, string key)
    {
        var scalar = (YamlScalarNode)node;
        if (IsNull(scalar)) throw _context.Error(node, KeyPath(key), "missing value");
        return scalar.Value ?? "";
    }

    private string KeyPath(string key) => Path.Length == 0 ? key : Path + "." + key;

    // A plain empty, ~ or null is YAML's null; a quoted "" is an empty string.
    private static bool IsNull(YamlScalarNode scalar) =>
        scalar.Style is YamlDotNet.Core.ScalarStyle.Plain or YamlDotNet.Core.ScalarStyle.Any
        && scalar.Value is null or "" or "~" or "null" or "Null" or "NULL";
}
