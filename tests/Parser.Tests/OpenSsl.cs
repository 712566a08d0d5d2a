using System.Diagnostics;

namespace Certstream.Parser.Tests;

/// <summary>Runs the openssl command line as an independent oracle.</summary>
internal static class OpenSsl
{
    public static (int ExitCode, string Output) Run(byte[] stdin, params string[] args)
    {
        var start = new ProcessStartInfo("openssl")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
            start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.StandardInput.BaseStream.Write(stdin);
        process.StandardInput.Close();
        process.WaitForExit();
        return (process.ExitCode, stdout.Result + stderr.Result);
    }

    /// <summary>The value line after an <c>-ext</c> header, or null when the certificate lacks the extension.</summary>
    public static string? Extension(byte[] der, string name)
    {
        var (code, output) = Run(der, "x509", "-inform", "DER", "-noout", "-ext", name);
        if (code != 0)
            return null;
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        if (lines.Length < 2 || lines[0].StartsWith("No extensions", StringComparison.Ordinal))
            return null;
        return string.Join("\n", lines.Skip(1).Select(l => l.Trim()));
    }
}
