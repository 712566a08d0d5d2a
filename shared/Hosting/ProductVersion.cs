using System.Reflection;

namespace Certstream.Hosting;

/// <summary>The product version (Directory.Build.props), without the source-revision suffix the SDK appends.</summary>
public static class ProductVersion
{
    public static string Current { get; } = Read();

    private static string Read()
    {
        var informational = typeof(ProductVersion).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "0.0.0";
        var plus = informational.IndexOf('+', StringComparison.Ordinal);
        return plus < 0 ? informational : informational[..plus];
    }
}
