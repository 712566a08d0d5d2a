using Certstream.Contracts.MessagePack;

namespace Certstream.Contracts.Tests.MessagePack;

public sealed class MessagePackReaderTests
{
    [Fact]
    public void Uint64_above_int64_is_an_error_for_ReadInt64_but_fine_for_ReadUInt64()
    {
        var bytes = Convert.FromHexString("cf8000000000000000");
        var ex = Assert.Throws<MessagePackFormatException>(() => new MessagePackReader(bytes).ReadInt64());
        Assert.Equal(0, ex.Offset);
        Assert.Equal(9223372036854775808UL, new MessagePackReader(bytes).ReadUInt64());
    }

    [Theory]
    [InlineData("ff")]
    [InlineData("d0ff")]
    [InlineData("d3ffffffffffffffff")]
    public void Negative_integers_are_an_error_for_ReadUInt64(string hex)
    {
        Assert.Throws<MessagePackFormatException>(() => new MessagePackReader(Convert.FromHexString(hex)).ReadUInt64());
    }

    [Theory]
    [InlineData("d07f", 127UL)]
    [InlineData("d27fffffff", 2147483647UL)]
    [InlineData("d37fffffffffffffff", 9223372036854775807UL)]
    public void Signed_encodings_of_positive_values_read_as_unsigned(string hex, ulong expected)
    {
        Assert.Equal(expected, new MessagePackReader(Convert.FromHexString(hex)).ReadUInt64());
    }

    [Fact]
    public void ReadInt32_refuses_values_beyond_int32()
    {
        Assert.Equal(int.MinValue, new MessagePackReader(Convert.FromHexString("d280000000")).ReadInt32());
        Assert.Throws<MessagePackFormatException>(() => new MessagePackReader(Convert.FromHexString("ce80000000")).ReadInt32());
    }

    [Theory]
    [InlineData("ca3fc00000", 1.5)]
    [InlineData("cb3ff8000000000000", 1.5)]
    [InlineData("ce6ab13b80", 1790000000.0)]
    [InlineData("fe", -2.0)]
    [InlineData("cfffffffffffffffff", 18446744073709551615.0)]
    public void ReadDouble_takes_floats_of_both_widths_and_integers(string hex, double expected)
    {
        Assert.Equal(expected, new MessagePackReader(Convert.FromHexString(hex)).ReadDouble());
    }

    [Theory]
    [InlineData("a1")]              // fixstr of 1, no byte
    [InlineData("d9")]              // str8 without its length
    [InlineData("d905616263")]      // str8 of 5 with 3 bytes
    [InlineData("dbffffffff00")]    // str32 of 4 GiB
    [InlineData("c6ffffffff")]      // bin32 of 4 GiB
    [InlineData("cd00")]            // uint16 cut short
    [InlineData("cb000000")]        // float64 cut short
    [InlineData("")]                // nothing at all
    public void Truncated_input_is_a_format_error(string hex)
    {
        var bytes = Convert.FromHexString(hex);
        Assert.Throws<MessagePackFormatException>(() =>
        {
            var reader = new MessagePackReader(bytes);
            reader.Skip();
        });
    }

    [Theory]
    [InlineData("dfffffffff")]     // map32 of 4G pairs, no bytes
    [InlineData("ddffffffff00")]   // array32 of 4G values, one byte
    [InlineData("de0003a16101")]   // map16 of 3 pairs, one given
    public void Container_counts_beyond_the_bytes_left_fail_at_the_header(string hex)
    {
        var bytes = Convert.FromHexString(hex);
        var ex = Assert.Throws<MessagePackFormatException>(() =>
        {
            var reader = new MessagePackReader(bytes);
            reader.Skip();
        });
        Assert.Equal(0, ex.Offset);
    }

    [Fact]
    public void The_never_used_byte_is_a_format_error()
    {
        var bytes = new byte[] { 0xc1 };
        Assert.Throws<MessagePackFormatException>(() => new MessagePackReader(bytes).NextType);
        Assert.Throws<MessagePackFormatException>(() => new MessagePackReader(bytes).Skip());
    }

    [Fact]
    public void Invalid_utf8_in_a_string_is_a_format_error_but_its_raw_bytes_can_be_read()
    {
        var bytes = Convert.FromHexString("a2c328");
        Assert.Throws<MessagePackFormatException>(() => new MessagePackReader(bytes).ReadString());
        Assert.Equal(new byte[] { 0xc3, 0x28 }, new MessagePackReader(bytes).ReadStringUtf8().ToArray());
    }

    [Fact]
    public void Reading_a_value_of_another_type_is_a_format_error_naming_the_code()
    {
        var bytes = Convert.FromHexString("a161");
        var ex = Assert.Throws<MessagePackFormatException>(() => new MessagePackReader(bytes).ReadInt64());
        Assert.Contains("0xa1", ex.Message, StringComparison.Ordinal);
        Assert.Throws<MessagePackFormatException>(() => new MessagePackReader(bytes).ReadBinary());
        Assert.Throws<MessagePackFormatException>(() => new MessagePackReader(bytes).ReadMapHeader());
        Assert.Throws<MessagePackFormatException>(() => new MessagePackReader(bytes).ReadBoolean());
        Assert.Throws<MessagePackFormatException>(() => new MessagePackReader(bytes).ReadNil());
        Assert.Throws<MessagePackFormatException>(() => new MessagePackReader(bytes).ReadDouble());
    }

    [Fact]
    public void Skip_accepts_nesting_up_to_the_limit()
    {
        var bytes = Nested(MessagePackReader.MaxDepth);
        var reader = new MessagePackReader(bytes);
        reader.Skip();
        Assert.True(reader.End);
    }

    [Fact]
    public void Skip_refuses_nesting_beyond_the_limit_without_exhausting_the_stack()
    {
        var one = Nested(MessagePackReader.MaxDepth + 1);
        Assert.Throws<MessagePackFormatException>(() => new MessagePackReader(one).Skip());

        var deep = Enumerable.Repeat((byte)0x91, 1_000_000).Append((byte)0xc0).ToArray();
        Assert.Throws<MessagePackFormatException>(() => new MessagePackReader(deep).Skip());
    }

    [Fact]
    public void Skip_passes_over_one_value_of_each_kind_and_stops_before_the_next()
    {
        // map{str: array[nil, true, -1, uint64, float32, bin, fixext4, ext8, map16{}]} then 0x2a.
        var hex = "81" + "a3616263" + "99" + "c0" + "c3" + "ff" + "cf0000000000000001" + "ca3f800000"
                  + "c403010203" + "d6ff00000000" + "c70201aabb" + "de0000" + "2a";
        var reader = new MessagePackReader(Convert.FromHexString(hex));
        reader.Skip();
        Assert.Equal(42, reader.ReadInt64());
        Assert.True(reader.End);
    }

    [Fact]
    public void Position_and_remaining_track_consumption()
    {
        var reader = new MessagePackReader(Convert.FromHexString("cd0100c3"));
        Assert.Equal(256, reader.ReadInt64());
        Assert.Equal(3, reader.Position);
        Assert.Equal(1, reader.Remaining);
        Assert.False(reader.End);
        Assert.True(reader.ReadBoolean());
        Assert.True(reader.End);
    }

    private static byte[] Nested(int depth) =>
        Enumerable.Repeat((byte)0x91, depth).Append((byte)0x01).ToArray();
}
