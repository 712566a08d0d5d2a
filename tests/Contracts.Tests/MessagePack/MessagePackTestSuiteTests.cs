using System.Text.Json;
using Certstream.Contracts.MessagePack;
using Certstream.TestSupport;

namespace Certstream.Contracts.Tests.MessagePack;

/// <summary>
/// kawanet/msgpack-test-suite (npm msgpack-test-suite 1.0.0, tests/node): every listed encoding of a value
/// must decode to it, and our writer must produce the smallest listed encoding.
/// </summary>
public sealed class MessagePackTestSuiteTests
{
    private static readonly string SuitePath = Path.Combine(
        RepoPaths.Root, "tests", "node", "node_modules", "msgpack-test-suite", "dist", "msgpack-test-suite.json");

    private static readonly Lazy<JsonDocument> Suite = new(() =>
        File.Exists(SuitePath)
            ? JsonDocument.Parse(File.ReadAllBytes(SuitePath))
            : throw new FileNotFoundException($"{SuitePath} is missing: run `npm ci --prefix tests/node` (scripts/deps.sh does)"));

    // Kinds of values the contract uses; timestamp and ext are only skipped.
    private static readonly string[] ValueKinds = ["nil", "bool", "binary", "bignum", "number", "string", "array", "map"];

    public static TheoryData<string, int> ValueCases() => Cases(c => KindOf(c) is not ("timestamp" or "ext"));

    public static TheoryData<string, int> ExtensionCases() => Cases(c => KindOf(c) is "timestamp" or "ext");

    [Fact]
    public void The_suite_holds_every_kind_of_value_we_read()
    {
        var kinds = AllCases().Select(c => KindOf(c.Case)).ToHashSet();
        Assert.Superset(kinds, ValueKinds.Append("timestamp").Append("ext").ToHashSet());
        Assert.True(AllCases().Count() > 80, "the suite has about 85 cases");
    }

    [Theory]
    [MemberData(nameof(ValueCases))]
    public void Every_listed_encoding_decodes_to_the_value(string file, int index)
    {
        var (kind, expected, encodings) = Load(file, index);
        foreach (var hex in encodings)
        {
            var bytes = MessagePackValue.FromDashedHex(hex);
            var decoded = MessagePackValue.Decode(bytes, out var consumed);
            Assert.True(MessagePackValue.Matches(decoded, expected, kind), $"{hex} decoded to {Describe(decoded)}, expected {expected}");
            Assert.Equal(bytes.Length, consumed);

            var skipper = new MessagePackReader(bytes);
            skipper.Skip();
            Assert.True(skipper.End, $"Skip left {skipper.Remaining} bytes of {hex}");
        }
    }

    [Theory]
    [MemberData(nameof(ValueCases))]
    public void Writer_produces_the_smallest_listed_encoding(string file, int index)
    {
        var (kind, expected, encodings) = Load(file, index);
        var written = MessagePackValue.WriteJson(expected, kind);
        var hex = MessagePackValue.ToDashedHex(written);
        Assert.Contains(hex, encodings);

        // Floats are always written as float64, so compare with the encodings of the same family only.
        var ours = Family(written);
        var smallest = encodings.Select(MessagePackValue.FromDashedHex).Where(e => Family(e) == ours).Min(e => e.Length);
        Assert.Equal(smallest, written.Length);
    }

    [Theory]
    [MemberData(nameof(ExtensionCases))]
    public void Skip_passes_over_every_extension_encoding_whole(string file, int index)
    {
        var (_, _, encodings) = Load(file, index);
        foreach (var hex in encodings)
        {
            var bytes = MessagePackValue.FromDashedHex(hex);
            var reader = new MessagePackReader(bytes);
            Assert.Equal(MessagePackType.Extension, reader.NextType);
            reader.Skip();
            Assert.True(reader.End, $"Skip left {reader.Remaining} bytes of {hex}");

            // Inside a map as an unknown key's value, followed by a known one.
            var framed = new byte[] { 0x82, 0xa1, (byte)'x' }.Concat(bytes).Concat(new byte[] { 0xa1, (byte)'y', 0x07 }).ToArray();
            var inMap = MessagePackValue.Decode(framed, out var consumed);
            Assert.Equal(framed.Length, consumed);
            var pairs = Assert.IsType<List<KeyValuePair<object?, object?>>>(inMap);
            Assert.Same(MessagePackValue.Extension, pairs[0].Value);
            Assert.Equal(new System.Numerics.BigInteger(7), pairs[1].Value);
        }
    }

    private static string Family(byte[] encoding)
    {
        var reader = new MessagePackReader(encoding);
        var type = reader.NextType;
        return type == MessagePackType.Float ? $"float-{encoding[0]:x2}" : type.ToString();
    }

    private static TheoryData<string, int> Cases(Func<JsonElement, bool> filter)
    {
        var data = new TheoryData<string, int>();
        foreach (var (file, index, value) in AllCases())
        {
            if (filter(value))
                data.Add(file, index);
        }
        return data;
    }

    private static IEnumerable<(string File, int Index, JsonElement Case)> AllCases()
    {
        foreach (var file in Suite.Value.RootElement.EnumerateObject())
        {
            var index = 0;
            foreach (var value in file.Value.EnumerateArray())
                yield return (file.Name, index++, value);
        }
    }

    private static string KindOf(JsonElement value) =>
        value.EnumerateObject().Select(p => p.Name).Where(n => n != "msgpack")
            .OrderBy(n => n == "bignum" ? 0 : 1) // a bignum case's "number" is only a rounded copy
            .First();

    private static (string Kind, JsonElement Expected, string[] Encodings) Load(string file, int index)
    {
        var value = Suite.Value.RootElement.GetProperty(file)[index];
        var kind = KindOf(value);
        var encodings = value.GetProperty("msgpack").EnumerateArray().Select(e => e.GetString()!).ToArray();
        Assert.NotEmpty(encodings);
        return (kind, value.GetProperty(kind), encodings);
    }

    private static string Describe(object? value) => value switch
    {
        null => "nil",
        byte[] bytes => Convert.ToHexString(bytes),
        _ => value.ToString() ?? "?",
    };
}
