using System.Security.Cryptography;
using Certstream.TestSupport;

namespace Certstream.Ingestor.Tests.Support;

/// <summary>The Navigli fixture's level-0 hash tiles: the log's own leaf hashes, an independent check of a converted <c>leaf_input</c>.</summary>
internal static class LevelZeroHashes
{
    private static readonly Lazy<byte[]> All = new(() =>
        [.. Enumerable.Range(0, 4).SelectMany(t => File.ReadAllBytes(RepoPaths.Fixture("static-ct", "navigli2025h2", "tile", "0", $"{t:000}")))]);

    public static int Count => All.Value.Length / 32;

    public static ReadOnlySpan<byte> Of(int index) => All.Value.AsSpan(index * 32, 32);

    /// <summary>RFC 6962 §2.1 leaf hash: SHA-256(0x00 ‖ leaf_input).</summary>
    public static byte[] LeafHash(ReadOnlySpan<byte> leafInput)
    {
        var prefixed = new byte[1 + leafInput.Length];
        leafInput.CopyTo(prefixed.AsSpan(1));
        return SHA256.HashData(prefixed);
    }
}
