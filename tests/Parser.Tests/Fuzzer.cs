using System.Text.Json;
using Certstream.Contracts;
using Certstream.Contracts.Ct;
using Certstream.Parser.Messages;

namespace Certstream.Parser.Tests;

/// <summary>
/// Mutation fuzzing of everything the parser reads from a log: leaf_input, extra_data, data tiles and
/// certificates. Deterministic (seeded) so a failure names a reproducible case.
/// </summary>
internal sealed class Fuzzer
{
    private readonly Random _random;
    private readonly List<(byte[] LeafInput, byte[] ExtraData)> _entries;
    private readonly List<byte[]> _certificates;
    private readonly byte[] _tile;

    public Fuzzer(int seed)
    {
        _random = new Random(seed);
        _entries = [.. GoldenLog.RfcEntries()];
        _certificates = [.. FixtureCertificates.All().Select(c => c.Der)];
        _tile = GoldenLog.DataTile(0)[..40_000]; // a slice keeps each case cheap; the reader stops at the cut
    }

    public sealed record Outcome(int Cases, Dictionary<string, int> Results);

    public Outcome Run(int cases)
    {
        var results = new Dictionary<string, int>(StringComparer.Ordinal);
        using var writer = new MessageWriter();
        for (var i = 0; i < cases; i++)
        {
            var label = (i % 4) switch
            {
                0 => MutatedLeaf(writer),
                1 => MutatedExtraData(writer),
                2 => MutatedCertificate(writer),
                _ => MutatedTile(),
            };
            results[label] = results.GetValueOrDefault(label) + 1;
        }
        return new Outcome(cases, results);
    }

    private string MutatedLeaf(MessageWriter writer)
    {
        var (leaf, extra) = _entries[_random.Next(_entries.Count)];
        return Check(writer, Mutate(leaf), extra, "leaf");
    }

    // Only the leaf may cause a rejection (docs/format.md): damage confined to extra_data never does.
    private string MutatedExtraData(MessageWriter writer)
    {
        var (leaf, extra) = _entries[_random.Next(_entries.Count)];
        var label = Check(writer, leaf, Mutate(extra), "extra");
        if (label != "extra:None")
            throw new InvalidOperationException($"extra_data damage rejected the entry: {label}");
        return label;
    }

    private string MutatedCertificate(MessageWriter writer)
    {
        var der = Mutate(_certificates[_random.Next(_certificates.Count)]);
        return Check(writer, FixtureCertificates.X509LeafInput(der), [0, 0, 0], "cert");
    }

    private string MutatedTile()
    {
        var tile = Mutate(_tile);
        var reader = new TileReader(tile);
        var leaves = 0;
        while (reader.TryReadNext(out var leaf))
        {
            leaves++;
            _ = leaf.TryGetLeafIndex(out _);
            if (leaves > tile.Length)
                throw new InvalidOperationException("tile reader does not advance");
        }
        if (!Enum.IsDefined(reader.Rejection))
            throw new InvalidOperationException($"undefined rejection {reader.Rejection}");
        return "tile:" + reader.Rejection;
    }

    private static string Check(MessageWriter writer, byte[] leafInput, byte[] extraData, string kind)
    {
        var result = writer.Write(TestEntries.Raw("https://fuzz.example/", "fuzz", "op", LogType.Rfc6962, 7, leafInput, extraData, 1.0));
        if (!Enum.IsDefined(result))
            throw new InvalidOperationException($"undefined rejection {result}");
        if (result == EntryRejection.None)
        {
            // Whatever came out must be valid UTF-8 JSON in all three variants.
            using (JsonDocument.Parse(writer.Full)) { }
            using (JsonDocument.Parse(writer.Lite)) { }
            using (JsonDocument.Parse(writer.Domains)) { }
        }
        else if (!writer.Full.IsEmpty)
        {
            throw new InvalidOperationException("a rejected entry left output behind");
        }
        return $"{kind}:{result}";
    }

    private byte[] Mutate(byte[] input)
    {
        var data = (byte[])input.Clone();
        switch (_random.Next(6))
        {
            case 0: // bit flips
                for (var n = 1 + _random.Next(4); n > 0; n--)
                {
                    var p = _random.Next(data.Length);
                    data[p] ^= (byte)(1 << _random.Next(8));
                }
                return data;
            case 1: // truncation
                return data[.._random.Next(data.Length)];
            case 2: // a length field (DER or TLS) made short, long, indefinite or huge
                {
                    var p = FindLengthLike(data);
                    data[p] = (byte)(_random.Next(5) switch { 0 => 0x00, 1 => 0x80, 2 => 0x84, 3 => 0xFF, _ => _random.Next(256) });
                    return data;
                }
            case 3: // splice a chunk of another input over this one
                {
                    var donor = _certificates[_random.Next(_certificates.Count)];
                    var length = Math.Min(1 + _random.Next(64), donor.Length);
                    var from = _random.Next(donor.Length - length + 1);
                    var to = _random.Next(Math.Max(1, data.Length - length + 1));
                    donor.AsSpan(from, Math.Min(length, data.Length - to)).CopyTo(data.AsSpan(to));
                    return data;
                }
            case 4: // insert or delete a run
                {
                    var p = _random.Next(data.Length);
                    var n = 1 + _random.Next(8);
                    return _random.Next(2) == 0
                        ? [.. data[..p], .. Enumerable.Range(0, n).Select(_ => (byte)_random.Next(256)), .. data[p..]]
                        : [.. data[..p], .. data[Math.Min(data.Length, p + n)..]];
                }
            default: // fill a run with one byte value (e.g. zeros or 0x80 indefinite markers)
                {
                    var p = _random.Next(data.Length);
                    var value = (byte)(_random.Next(2) == 0 ? 0 : 0x80);
                    data.AsSpan(p, Math.Min(data.Length - p, 1 + _random.Next(16))).Fill(value);
                    return data;
                }
        }
    }

    // A byte right after a 0x30/0x31/0x04/0x02 tag or an early TLS length, where length fields live.
    private int FindLengthLike(byte[] data)
    {
        for (var attempt = 0; attempt < 32; attempt++)
        {
            var p = _random.Next(data.Length - 1);
            if (data[p] is 0x30 or 0x31 or 0x04 or 0x02 or 0xA3 or 0x03)
                return p + 1;
        }
        return _random.Next(Math.Min(data.Length, 64));
    }
}
