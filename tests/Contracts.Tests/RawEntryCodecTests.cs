using System.Buffers;
using System.Runtime.InteropServices;
using Certstream.Contracts.MessagePack;
using Certstream.Contracts.Tests.MessagePack;

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
            ("future_map", w => { w.WriteMapHeader(2); w.WriteString("a"); w.WriteArrayHeader(2); w.WriteNil(); w.WriteMapHeader(0); w.WriteInt64(5); w.WriteFloat64(1.5); }),
            ("v", w => w.WriteInt64(1)),
            ("future_ext", w => w.WriteRawForTest([0xd7, 0xff, 0, 0, 0, 0, 0, 0, 0, 0])),
            (null, w => w.WriteBinary([1, 2])),   // a non-string key and its value
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
        var message = Map(("v", w => w.WriteInt64(version)), ("something_new", w => w.WriteBoolean(true)));
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
        var fields = StandardFields().Select(f => f.Key == key ? (key, (ValueWriter)(w => w.WriteRawForTest(value))) : f).ToArray();
        var message = Map(fields);
        Assert.False(RawEntryCodec.TryRead(message.AsSpan(), out _, out var error));
        Assert.Equal(RawEntryErrorKind.InvalidField, error.Kind);
        Assert.Contains($"'{key}'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_known_key_given_twice_is_invalid()
    {
        var message = Map([.. StandardFields(), ("index", w => w.WriteInt64(7))]);
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
        var asInteger = Map([.. StandardFields().Select(f => f.Key == "fetched_at" ? ("fetched_at", (ValueWriter)(w => w.WriteInt64(1790000000))) : f)]);
        Assert.True(RawEntryCodec.TryRead(asInteger.AsSpan(), out var entry, out _));
        Assert.Equal(1790000000.0, entry.FetchedAt);

        var asFloat32 = Map([.. StandardFields().Select(f => f.Key == "fetched_at" ? ("fetched_at", (ValueWriter)(w => w.WriteRawForTest([0xca, 0x3f, 0xc0, 0, 0]))) : f)]);
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

    internal delegate void ValueWriter(MessagePackWriter writer);

    /// <summary>The Argon sample's fields, each as a key and its value's writer.</summary>
    private static (string? Key, ValueWriter Write)[] StandardFields()
    {
        var e = SampleEntries.Argon();
        return
        [
            ("v", w => w.WriteInt64(1)),
            ("log", w => w.WriteString(e.Log)),
            ("url", w => w.WriteString(e.Url)),
            ("name", w => w.WriteString(e.Name)),
            ("operator", w => w.WriteString(e.Operator)),
            ("type", w => w.WriteString("rfc6962")),
            ("index", w => w.WriteUInt64(e.Index)),
            ("leaf_input", w => w.WriteBinary(e.LeafInput.Span)),
            ("extra_data", w => w.WriteBinary(e.ExtraData.Span)),
            ("fetched_at", w => w.WriteFloat64(e.FetchedAt)),
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
                writer.WriteInt64(42);
            else
                writer.WriteString(key);
            write(writer);
        }
        return output.WrittenSpan.ToArray();
    }
}
