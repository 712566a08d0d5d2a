namespace Certstream.Deploy.Tests.Support;

/// <summary>A Compose <c>--env-file</c>: <c>KEY=VALUE</c> lines, <c>#</c> comments.</summary>
internal static class EnvFile
{
    public static Dictionary<string, string> Read(string path)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var raw in File.ReadAllLines(path))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#')) continue;
            var equals = line.IndexOf('=', StringComparison.Ordinal);
            Assert.True(equals > 0, $"{path}: not KEY=VALUE: {line}");
            result[line[..equals]] = line[(equals + 1)..];
        }
        return result;
    }
}
