using System.Buffers.Binary;

namespace Certstream.Ingestor.Tests.Support;

/// <summary>
/// Walks the TileLeaf framing of a static-ct data tile (c2sp.org/static-ct-api data tiles), for tests only: where each leaf
/// starts and ends, where its timestamped_entry ends, and its chain fingerprints (lower-case hex).
/// </summary>
internal static class TileLeafWalker
{
    internal readonly record struct Leaf(int Start, int TimestampedEntryEnd, int End, IReadOnlyList<string> Fingerprints);

    public static List<Leaf> Walk(ReadOnlySpan<byte> tile, int width)
    {
        var leaves = new List<Leaf>(width);
        var at = 0;
        while (leaves.Count < width)
        {
            var start = at;
            Need(tile, at, 10);
            var entryType = BinaryPrimitives.ReadUInt16BigEndian(tile[(at + 8)..]);
            at += 10;
            if (entryType == 1) at += 32; // issuer_key_hash
            else if (entryType != 0) throw new InvalidDataException($"leaf {leaves.Count}: entry type {entryType}");
            at = Skip24(tile, at);
            Need(tile, at, 2);
            at += 2 + BinaryPrimitives.ReadUInt16BigEndian(tile[at..]);
            var timestampedEnd = at;
            if (entryType == 1) at = Skip24(tile, at); // pre_certificate
            Need(tile, at, 2);
            var chainLength = BinaryPrimitives.ReadUInt16BigEndian(tile[at..]);
            at += 2;
            if (chainLength % 32 != 0) throw new InvalidDataException($"leaf {leaves.Count}: chain length {chainLength}");
            Need(tile, at, chainLength);
            var fingerprints = new List<string>();
            for (var i = 0; i < chainLength; i += 32) fingerprints.Add(Convert.ToHexStringLower(tile.Slice(at + i, 32)));
            at += chainLength;
            leaves.Add(new Leaf(start, timestampedEnd, at, fingerprints));
        }
        return leaves;
    }

    private static int Skip24(ReadOnlySpan<byte> tile, int at)
    {
        Need(tile, at, 3);
        var length = (tile[at] << 16) | (tile[at + 1] << 8) | tile[at + 2];
        Need(tile, at + 3, length);
        return at + 3 + length;
    }

    private static void Need(ReadOnlySpan<byte> tile, int at, int count)
    {
        if (at + count > tile.Length) throw new InvalidDataException("tile ends inside a leaf");
    }
}
