namespace Certstream.Parser.Messages;

/// <summary>The <c>source.url</c> form of a log URL (docs/format.md): trailing '/' removed, https:// added when there is no scheme.</summary>
public static class SourceUrl
{
    public static string Normalize(string url)
    {
        var trimmed = url.Trim().TrimEnd('/');
        return trimmed.Contains("://", StringComparison.Ordinal) ? trimmed : "https://" + trimmed;
    }
}
