using System.Text.RegularExpressions;

namespace Certstream.Deploy.Tests.Support;

/// <summary>Compose's <c>${VAR}</c> / <c>${VAR:-default}</c> substitution, from a given set of variables.</summary>
internal static partial class ComposeInterpolation
{
    public static string Apply(string text, IReadOnlyDictionary<string, string> variables) =>
        Reference().Replace(text, m =>
            variables.TryGetValue(m.Groups["name"].Value, out var value) && value.Length > 0 ? value
            : m.Groups["default"].Success ? m.Groups["default"].Value : "");

    [GeneratedRegex(@"\$\{(?<name>[A-Za-z_][A-Za-z0-9_]*)(?::-(?<default>[^}]*))?\}")]
    private static partial Regex Reference();
}
