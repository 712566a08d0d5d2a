using System.Buffers;
using Certstream.Contracts.MessagePack;

namespace Certstream.Contracts.Tests.MessagePack;

public sealed class MessagePackWriterTests
{
    [Theory]
    [InlineData(0L, "00")]
    [InlineData(127L, "7f")]
    [InlineData(128L, "cc80")]
    [InlineData(255L, "ccff")]
    [InlineData(256L, "cd0100")]
    [InlineData(65535L, "cdffff")]
    [InlineData(65536L, "ce00010000")]
    [InlineData(4294967295L, "ceffffffff")]
    [InlineData(4294967296L, "cf0000000100000000")]
    [InlineData(long.MaxValue, "cf7fffffffffffffff")]
    [InlineData(-1L, "ff")]
    [InlineData(-32L, "e0")]
    [InlineData(-33L, "d0df")]
    [InlineData(-128L, "d080")]
    [InlineData(-129L, "d1ff7f")]
    [InlineData(-32768L, "d18000")]
    [InlineData(-32769L, "d2ffff7fff")]
    [InlineData(-2147483648L, "d280000000")]
    [InlineData(-2147483649L, "d3ffffffff7fffffff")]
    [InlineData(long.MinValue, "d38000000000000000")]
    public void Integers_take_the_smallest_encoding_at_every_boundary(long value, string hex)
    {
        var bytes = Write(w => w.WriteInt64(value));
        Assert.Equal(hex, Convert.ToHexStringLower(bytes));
        var reader = new MessagePackReader(bytes);
        Assert.Equal(value, reader.ReadInt64());
        Assert.True(reader.End);
    }

    [Fact]
    public void The_largest_unsigned_integer_is_uint64()
    {
        var bytes = Write(w => w.WriteUInt64(ulong.MaxValue));
        Assert.Equal("cfffffffffffffffff", Convert.ToHexStringLower(bytes));
        Assert.Equal(ulong.MaxValue, new MessagePackReader(bytes).ReadUInt64());
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(31, 1)]
    [InlineData(32, 2)]
    [InlineData(255, 2)]
    [InlineData(256, 3)]
    [InlineData(65535, 3)]
    [InlineData(65536, 5)]
    public void Strings_take_the_smallest_header(int length, int headerLength)
    {
        var text = new string('x', length);
        var bytes = Write(w => w.WriteString(text));
        Assert.Equal(headerLength + length, bytes.Length);
        Assert.Equal(text, new MessagePackReader(bytes).ReadString());
    }

    [Fact]
    public void String_header_counts_utf8_bytes_not_chars()
    {
        var bytes = Write(w => w.WriteString("日本語🍺"));
        Assert.Equal(0xa0 | 13, bytes[0]);
        Assert.Equal("日本語🍺", new MessagePackReader(bytes).ReadString());
    }

    [Theory]
    [InlineData(0, 2)]
    [InlineData(255, 2)]
    [InlineData(256, 3)]
    [InlineData(65535, 3)]
    [InlineData(65536, 5)]
    public void Binaries_take_the_smallest_header(int length, int headerLength)
    {
        var data = Enumerable.Range(0, length).Select(i => (byte)i).ToArray();
        var bytes = Write(w => w.WriteBinary(data));
        Assert.Equal(headerLength + length, bytes.Length);
        Assert.Equal(data, new MessagePackReader(bytes).ReadBinary().ToArray());
    }

    [Theory]
    [InlineData(0, "90", "80")]
    [InlineData(15, "9f", "8f")]
    [InlineData(16, "dc0010", "de0010")]
    [InlineData(65535, "dcffff", "deffff")]
    [InlineData(65536, "dd00010000", "df00010000")]
    public void Container_headers_take_the_smallest_encoding(int count, string arrayHex, string mapHex)
    {
        Assert.Equal(arrayHex, Convert.ToHexStringLower(Write(w => w.WriteArrayHeader(count))));
        Assert.Equal(mapHex, Convert.ToHexStringLower(Write(w => w.WriteMapHeader(count))));
    }

    [Fact]
    public void Floats_are_float64_and_read_back_exactly()
    {
        var bytes = Write(w => w.WriteFloat64(1790000000.123456));
        Assert.Equal(9, bytes.Length);
        Assert.Equal(0xcb, bytes[0]);
        Assert.Equal(1790000000.123456, new MessagePackReader(bytes).ReadDouble());
    }

    [Fact]
    public void Nil_and_booleans_are_one_byte()
    {
        Assert.Equal("c0c2c3", Convert.ToHexStringLower(Write(w =>
        {
            w.WriteNil();
            w.WriteBoolean(false);
            w.WriteBoolean(true);
        })));
    }

    [Fact]
    public void Negative_counts_are_refused()
    {
        var output = new ArrayBufferWriter<byte>();
        Assert.Throws<ArgumentOutOfRangeException>(() => new MessagePackWriter(output).WriteMapHeader(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new MessagePackWriter(output).WriteArrayHeader(-1));
        Assert.Equal(0, output.WrittenCount);
    }

    private delegate void WriteAction(MessagePackWriter writer);

    private static byte[] Write(WriteAction action)
    {
        var output = new ArrayBufferWriter<byte>();
        action(new MessagePackWriter(output));
        return output.WrittenSpan.ToArray();
    }
}
