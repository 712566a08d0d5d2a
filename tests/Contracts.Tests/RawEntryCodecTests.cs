using System.Buffers;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using MessagePack;

namespace Certstream.Contracts.Tests;

public sealed class RawEntryCodecTests
{
    private static readonly string[] Keys =
        ["v", "log", "url", "name", "operator", "type", "index", "leaf_input", "extra_data", "fetched_at"];

    [Fact]
    public void An_entry_reads_back_equal_from_span_memory_and_sequence()
    {
        var entry = SampleEntries.Argon();
        var message = SampleEntries.Encode(entry);

        Assert.True(RawEntryCodec.TryRead(message.AsSpan(), out var fromSpan, out var error), error.Message);
        Assert.True(RawEntryCodec.TryRead(message.AsMemory(), out var fromMemory, out error), error.Message);
        Assert.True(RawEntryCodec.TryRead(new ReadOnlySequence<byte>(message), out var fromSequence, out error), error.Message);
        foreach (var read in new[] { fromSpan, fromMemory, fromSequence })
        {
            Assert.Equal(entry, read);
            Assert.Equal(1, read.V);
            Assert.Equal(entry.LeafInput.ToArray(), read.LeafInput.ToArray());
            Assert.Equal(entry.ExtraData.ToArray(), read.ExtraData.ToArray());
            Assert.Equal(RawEntryErrorKind.None, error.Kind);
        }
    }

    [Fact]
    public void Reading_from_memory_slices_the_message_instead_of_copying()
    {
        var message = SampleEntries.Encode(SampleEntries.Argon());
        Assert.True(RawEntryCodec.TryRead(message.AsMemory(), out var entry, out _));
        Assert.True(MemoryMarshal.TryGetArray(entry.LeafInput, out var leaf));
        Assert.Same(message, leaf.Array);
        Assert.True(MemoryMarshal.TryGetArray(entry.ExtraData, out var extra));
        Assert.Same(message, extra.Array);

        Assert.True(RawEntryCodec.TryRead(message.AsSpan(), out var copied, out _));
        Assert.True(MemoryMarshal.TryGetArray(copied.LeafInput, out var copy));
        Assert.NotSame(message, copy.Array);
    }

    [Fact]
    public void A_sequence_of_many_segments_reads_like_one()
    {
        var entry = SampleEntries.Argon();
        var message = SampleEntries.Encode(entry);
        var sequence = Segments.Split(message, 7);
        Assert.False(sequence.IsSingleSegment);
        Assert.True(RawEntryCodec.TryRead(sequence, out var read, out var error), error.Message);
        Assert.Equal(entry, read);
    }

    [Fact]
    public void The_writer_puts_every_key_in_spec_order_with_the_spec_types()
    {
        var message = SampleEntries.Encode(SampleEntries.Argon() with { Type = LogType.Tiled });
        var map = Assert.IsType<List<KeyValuePair<object?, object?>>>(MessagePackValue.Decode(message, out var consumed));
        Assert.Equal(message.Length, consumed);
        Assert.Equal(Keys, map.Select(p => p.Key as string).ToArray());
        Assert.Equal(new System.Numerics.BigInteger(1), map[0].Value);
        Assert.Equal("tiled", map[5].Value);
        Assert.Equal(new System.Numerics.BigInteger(380000003), map[6].Value);
        Assert.IsType<byte[]>(map[7].Value);
        Assert.IsType<byte[]>(map[8].Value);
        Assert.Equal(1791346973.252, Assert.IsType<double>(map[9].Value));
    }

    [Theory]
    [InlineData(0UL)]
    [InlineData(9007199254740993UL)]
    [InlineData(ulong.MaxValue)]
    public void Every_uint64_index_survives(ulong index)
    {
        var entry = SampleEntries.Argon() with { Index = index };
        Assert.True(RawEntryCodec.TryRead(SampleEntries.Encode(entry).AsSpan(), out var read, out _));
        Assert.Equal(index, read.Index);
    }

    [Fact]
    public void Empty_byte_fields_and_strings_are_allowed()
    {
        var entry = SampleEntries.Argon() with { LeafInput = Array.Empty<byte>(), ExtraData = default, Name = "", Operator = "" };
        Assert.True(RawEntryCodec.TryRead(SampleEntries.Encode(entry).AsSpan(), out var read, out var error), error.Message);
        Assert.Equal(entry, read);
    }

    [Fact]
    public void Unknown_keys_are_skipped_whatever_their_value()
    {
        var message = Map([
            ("future_map", (ref MessagePackWriter w) => { w.WriteMapHeader(2); w.Write("a"); w.WriteArrayHeader(2); w.WriteNil(); w.WriteMapHeader(0); w.Write((long)5); w.Write(1.5); }),
            ("v", (ref MessagePackWriter w) => w.Write((long)1)),
            ("future_ext", (ref MessagePackWriter w) => w.WriteRaw([0xd7, 0xff, 0, 0, 0, 0, 0, 0, 0, 0])),
            (null, (ref MessagePackWriter w) => w.Write((ReadOnlySpan<byte>)[1, 2])),   // a non-string key and its value
            .. StandardFields().Skip(1)]);
        Assert.True(RawEntryCodec.TryRead(message.AsSpan(), out var read, out var error), error.Message);
        Assert.Equal(SampleEntries.Argon(), read);
    }

    [Theory]
    [MemberData(nameof(KeyNames))]
    public void A_missing_key_is_named_in_the_error(string key)
    {
        var message = Map([.. StandardFields().Where(f => f.Key != key)]);
        Assert.False(RawEntryCodec.TryRead(message.AsSpan(), out var entry, out var error));
        Assert.Null(entry);
        Assert.Equal(RawEntryErrorKind.MissingField, error.Kind);
        Assert.Contains($"'{key}'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    [InlineData(-1)]
    public void Another_schema_version_is_refused_as_unsupported(long version)
    {
        // A version 2 message may lack version 1 keys: the version is what gets reported.
        var message = Map(("v", (ref MessagePackWriter w) => w.Write((long)version)), ("something_new", (ref MessagePackWriter w) => w.Write(true)));
        Assert.False(RawEntryCodec.TryRead(message.AsSpan(), out _, out var error));
        Assert.Equal(RawEntryErrorKind.UnsupportedVersion, error.Kind);
    }

    public static TheoryData<string> KeyNames() => new(Keys);

    public static TheoryData<string, string> WrongValues() => new()
    {
        { "index", "a1 31" },                    // a string
        { "index", "ff" },                       // negative
        { "index", "cb 3ff0000000000000" },      // a float
        { "v", "a1 31" },
        { "log", "a3 612e62" },                  // "a.b" would be two subject tokens
        { "log", "a3 412a3e" },                  // "A*>"
        { "log", "a0" },                         // empty
        { "log", "c4 01 61" },                   // bin, not str
        { "url", "02" },
        { "type", "a4 7469 6c65" },              // "tile"
        { "leaf_input", "a1 61" },               // str, not bin
        { "extra_data", "c0" },                  // nil
        { "fetched_at", "cb 7ff8000000000000" }, // NaN
        { "fetched_at", "a1 31" },
        { "name", "a2 c328" },                   // invalid UTF-8
        { "operator", "d9 05 6162" },            // cut short inside the value
    };

    [Theory]
    [MemberData(nameof(WrongValues))]
    public void A_wrong_value_is_an_invalid_field_named_in_the_error(string key, string valueHex)
    {
        var value = Convert.FromHexString(valueHex.Replace(" ", "", StringComparison.Ordinal));
        var fields = StandardFields().Select(f => f.Key == key ? (key, (ValueWriter)((ref MessagePackWriter w) => w.WriteRaw(value))) : f).ToArray();
        var message = Map(fields);
        Assert.False(RawEntryCodec.TryRead(message.AsSpan(), out _, out var error));
        Assert.Equal(RawEntryErrorKind.InvalidField, error.Kind);
        Assert.Contains($"'{key}'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_known_key_given_twice_is_invalid()
    {
        var message = Map([.. StandardFields(), ("index", (ref MessagePackWriter w) => w.Write((long)7))]);
        Assert.False(RawEntryCodec.TryRead(message.AsSpan(), out _, out var error));
        Assert.Equal(RawEntryErrorKind.InvalidField, error.Kind);
        Assert.Contains("'index'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("c0")]                  // nil
    [InlineData("93010203")]            // an array
    [InlineData("")]                    // nothing
    [InlineData("c1")]                  // never-used byte
    public void Something_other_than_a_map_is_malformed(string hex)
    {
        Assert.False(RawEntryCodec.TryRead(Convert.FromHexString(hex).AsSpan(), out _, out var error));
        Assert.Equal(RawEntryErrorKind.Malformed, error.Kind);
    }

    [Fact]
    public void Bytes_after_the_map_are_malformed()
    {
        var message = SampleEntries.Encode(SampleEntries.Argon()).Append((byte)0xc0).ToArray();
        Assert.False(RawEntryCodec.TryRead(message.AsSpan(), out _, out var error));
        Assert.Equal(RawEntryErrorKind.Malformed, error.Kind);
    }

    [Fact]
    public void Every_truncation_of_a_message_is_refused()
    {
        var message = SampleEntries.Encode(SampleEntries.Argon());
        for (var length = 0; length < message.Length; length++)
        {
            Assert.False(RawEntryCodec.TryRead(message.AsMemory(0, length), out _, out var error));
            Assert.NotEqual(RawEntryErrorKind.None, error.Kind);
        }
    }

    [Fact]
    public void Integer_and_float32_fetched_at_are_read_as_seconds()
    {
        var asInteger = Map([.. StandardFields().Select(f => f.Key == "fetched_at" ? ("fetched_at", (ValueWriter)((ref MessagePackWriter w) => w.Write((long)1790000000))) : f)]);
        Assert.True(RawEntryCodec.TryRead(asInteger.AsSpan(), out var entry, out _));
        Assert.Equal(1790000000.0, entry.FetchedAt);

        var asFloat32 = Map([.. StandardFields().Select(f => f.Key == "fetched_at" ? ("fetched_at", (ValueWriter)((ref MessagePackWriter w) => w.WriteRaw([0xca, 0x3f, 0xc0, 0, 0]))) : f)]);
        Assert.True(RawEntryCodec.TryRead(asFloat32.AsSpan(), out entry, out _));
        Assert.Equal(1.5, entry.FetchedAt);
    }

    [Fact]
    public void Writing_an_entry_whose_log_is_not_a_key_is_a_bug()
    {
        var output = new ArrayBufferWriter<byte>();
        Assert.Throws<ArgumentException>(() => RawEntryCodec.Write(output, SampleEntries.Argon() with { Log = SampleEntries.ArgonUrl }));
        Assert.Throws<ArgumentException>(() => RawEntryCodec.Write(output, SampleEntries.Argon() with { Type = (LogType)7 }));
        Assert.Equal(0, output.WrittenCount);
    }

    [Fact]
    public void Entries_with_different_bytes_are_not_equal()
    {
        var entry = SampleEntries.Argon();
        var changed = entry.LeafInput.ToArray();
        changed[^1] ^= 1;
        Assert.NotEqual(entry, entry with { LeafInput = changed });
        Assert.Equal(entry, entry with { LeafInput = entry.LeafInput.ToArray() });
    }

    // Written by the project's own MessagePack writer before the codec moved onto MessagePack-CSharp: the bytes on
    // CT_RAW must not change (fixint/uint32/uint64 indexes, fixstr/str8/str16, bin8/bin16/bin32, float64).
    private const string GoldenSmall =
        "8aa17601a36c6f67b263745f6578616d706c655f636f6d5f6c6f67a375726cbb68747470733a2f2f63742e6578616d706c652e636f6d2f6c6f672f"
        + "a46e616d65a74578616d706c65a86f70657261746f72a24578a474797065a772666336393632a5696e64657805aa6c6561665f696e707574c403030a11"
        + "aa65787472615f64617461c400aa666574636865645f6174cb41dab172475020c5";

    private const string GoldenTiledHead =
        "8aa17601a36c6f67a56c6f675f78a375726cd93968747470733a2f2f74696c65642e6578616d706c652e6f72672f7072656669782f776974682f612f"
        + "7261746865722f6c6f6e672f706174682fa46e616d65d928" + "6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e6e"
        + "a86f70657261746f72b44f70c3a972617465757220c3bc6ec3af636f6465a474797065a574696c6564a5696e646578ce00011170aa6c6561665f696e707574c4c8";

    [Fact]
    public void The_bytes_written_are_those_of_the_codec_before_MessagePack_CSharp()
    {
        static byte[] Sequence(int n) => [.. Enumerable.Range(0, n).Select(i => (byte)((i * 7) + 3))];

        var small = new RawEntry
        {
            Log = "ct_example_com_log", Url = "https://ct.example.com/log/", Name = "Example", Operator = "Ex", Type = LogType.Rfc6962,
            Index = 5, LeafInput = Sequence(3), ExtraData = Sequence(0), FetchedAt = 1791346973.252,
        };
        Assert.Equal(GoldenSmall, Convert.ToHexStringLower(SampleEntries.Encode(small)));

        var tiled = new RawEntry
        {
            Log = "log_x", Url = "https://tiled.example.org/prefix/with/a/rather/long/path/", Name = new string('n', 40), Operator = "Opérateur ünïcode",
            Type = LogType.Tiled, Index = 70000, LeafInput = Sequence(200), ExtraData = Sequence(300), FetchedAt = 0.5,
        };
        var tiledHex = Convert.ToHexStringLower(SampleEntries.Encode(tiled));
        Assert.StartsWith(GoldenTiledHead, tiledHex, StringComparison.Ordinal);
        Assert.Equal(1446, tiledHex.Length);
        Assert.EndsWith("aa666574636865645f6174cb3fe0000000000000", tiledHex, StringComparison.Ordinal);
        Assert.Contains("aa65787472615f64617461c5012c", tiledHex, StringComparison.Ordinal);

        var large = new RawEntry
        {
            Log = "l", Url = "u", Name = new string('x', 300), Operator = "", Type = LogType.Rfc6962, Index = ulong.MaxValue,
            LeafInput = Sequence(70000), ExtraData = Sequence(1), FetchedAt = -1,
        };
        var largeBytes = SampleEntries.Encode(large);
        Assert.Equal(70412, largeBytes.Length);
        Assert.Equal("0bd288463f214a120b982410b45803439331175ac438cfb807a25ac40b6e5011", Convert.ToHexStringLower(SHA256.HashData(largeBytes)));

        var argon = SampleEntries.Encode(SampleEntries.Argon());
        Assert.Equal(2644, argon.Length);
        Assert.Equal("4e3b958f21e2724f1be0f898d7042cec552130d746c6b7bf5d9ef7c38355f377", Convert.ToHexStringLower(SHA256.HashData(argon)));
    }

    [Fact]
    public void An_unknown_value_nested_deeper_than_the_limit_is_malformed_without_exhausting_the_stack()
    {
        static ValueWriter Nested(int depth) => (ref MessagePackWriter w) =>
        {
            for (var i = 0; i < depth; i++)
                w.WriteArrayHeader(1);
            w.Write(1);
        };

        var atLimit = Map([("future", Nested(RawEntryCodec.MaxDepth)), .. StandardFields()]);
        Assert.True(RawEntryCodec.TryRead(atLimit.AsMemory(), out _, out var error), error.Message);

        var deep = Map([("future", Nested(1_000_000)), .. StandardFields()]);
        Assert.False(RawEntryCodec.TryRead(deep.AsMemory(), out _, out error));
        Assert.Equal(RawEntryErrorKind.Malformed, error.Kind);
        Assert.Contains("nested", error.Message, StringComparison.Ordinal);
    }

    internal delegate void ValueWriter(ref MessagePackWriter writer);

    /// <summary>The Argon sample's fields, each as a key and its value's writer.</summary>
    private static (string? Key, ValueWriter Write)[] StandardFields()
    {
        var e = SampleEntries.Argon();
        return
        [
            ("v", (ref MessagePackWriter w) => w.Write((long)1)),
            ("log", (ref MessagePackWriter w) => w.Write(e.Log)),
            ("url", (ref MessagePackWriter w) => w.Write(e.Url)),
            ("name", (ref MessagePackWriter w) => w.Write(e.Name)),
            ("operator", (ref MessagePackWriter w) => w.Write(e.Operator)),
            ("type", (ref MessagePackWriter w) => w.Write("rfc6962")),
            ("index", (ref MessagePackWriter w) => w.Write(e.Index)),
            ("leaf_input", (ref MessagePackWriter w) => w.Write(e.LeafInput.Span)),
            ("extra_data", (ref MessagePackWriter w) => w.Write(e.ExtraData.Span)),
            ("fetched_at", (ref MessagePackWriter w) => w.Write(e.FetchedAt)),
        ];
    }

    /// <summary>A map of the given fields; a null key is written as the integer 42.</summary>
    private static byte[] Map(params (string? Key, ValueWriter Write)[] fields)
    {
        var output = new ArrayBufferWriter<byte>();
        var writer = new MessagePackWriter(output);
        writer.WriteMapHeader(fields.Length);
        foreach (var (key, write) in fields)
        {
            if (key is null)
                writer.Write(42);
            else
                writer.Write(key);
            write(ref writer);
        }
        writer.Flush();
        return output.WrittenSpan.ToArray();
    }
}
