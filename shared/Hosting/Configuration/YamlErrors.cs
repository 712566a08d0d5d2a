using YamlDotNet.Core;

namespace Certstream.Hosting.Configuration;

/// <summary>Turns YamlDotNet's parser errors into the short phrase of a one-line message.</summary>
internal static class YamlErrors
{
    public static string Describe(YamlException e)
    {
        // YamlDotNet prefixes "(Line: x, Col: y, Idx: z) - (…): "; the line is reported separately.
        var message = e.InnerException is YamlException inner ? Describe(inner) : e.Message;
        var cut = message.IndexOf("): ", StringComparison.Ordinal);
        message = message.StartsWith("(Line:", StringComparison.Ordinal) && cut >= 0 ? message[(cut + 3)..] : message;
        return message.ReplaceLineEndings(" ").Trim();
    }
}
