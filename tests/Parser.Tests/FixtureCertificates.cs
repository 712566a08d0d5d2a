using System.Text;
using System.Text.RegularExpressions;
using Certstream.Contracts;
using Certstream.Parser.Messages;
using Certstream.TestSupport;

namespace Certstream.Parser.Tests;

/// <summary>The certificates under fixtures/certs (PEM files may hold several) and a way to run one through the writer.</summary>
internal static partial class FixtureCertificates
{
    public static IEnumerable<(string Name, byte[] Der)> All()
    {
        var root = RepoPaths.Fixture("certs");
        foreach (var path in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var name = Path.GetRelativePath(root, path);
            if (path.EndsWith(".tbs_from_leaf_input.der", StringComparison.Ordinal))
                continue; // a TBSCertificate, not a certificate: see PrecertTests
            if (path.EndsWith(".der", StringComparison.Ordinal))
            {
                yield return (name, File.ReadAllBytes(path));
                continue;
            }
            var n = 0;
            foreach (Match block in PemBlock().Matches(File.ReadAllText(path)))
                yield return ($"{name}#{n++}", Convert.FromBase64String(block.Groups[1].Value));
        }
    }

    public static byte[] Pem(params string[] parts)
    {
        var block = PemBlock().Match(File.ReadAllText(RepoPaths.Fixture(["certs", .. parts])));
        return Convert.FromBase64String(block.Groups[1].Value);
    }

    [GeneratedRegex("-----BEGIN CERTIFICATE-----([A-Za-z0-9+/=\\s]+)-----END CERTIFICATE-----")]
    private static partial Regex PemBlock();

    /// <summary>An x509_entry leaf_input for <paramref name="der"/> (timestamp 1 ms, no extensions).</summary>
    public static byte[] X509LeafInput(byte[] der)
    {
        var leaf = new List<byte> { 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0 };
        leaf.AddRange(UInt24(der.Length));
        leaf.AddRange(der);
        leaf.AddRange([0, 0]);
        return [.. leaf];
    }

    /// <summary>A precert_entry leaf_input for a TBSCertificate.</summary>
    public static byte[] PrecertLeafInput(byte[] tbs)
    {
        var leaf = new List<byte> { 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 1 };
        leaf.AddRange(new byte[32]);
        leaf.AddRange(UInt24(tbs.Length));
        leaf.AddRange(tbs);
        leaf.AddRange([0, 0]);
        return [.. leaf];
    }

    public static byte[] UInt24(int n) => [(byte)(n >> 16), (byte)(n >> 8), (byte)n];

    public static RawEntry Input(byte[] leafInput, byte[] extraData) =>
        TestEntries.Raw("https://ct.example/log", "Fixture", "Op", LogType.Rfc6962, 0, leafInput, extraData, 1.5);

    public static string Text(ReadOnlyMemory<byte> bytes) => Encoding.UTF8.GetString(bytes.Span);
}
