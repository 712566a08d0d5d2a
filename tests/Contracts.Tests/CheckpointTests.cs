using System.Text;

namespace Certstream.Contracts.Tests;

public sealed class CheckpointTests
{
    [Fact]
    public void Json_has_the_contract_keys_and_an_rfc3339_utc_time()
    {
        var checkpoint = new Checkpoint(380000005, 384065451, new DateTimeOffset(2026, 10, 4, 8, 24, 33, TimeSpan.FromHours(2)));
        Assert.Equal(
            """{"next_index":380000005,"tree_size":384065451,"updated":"2026-10-04T06:24:33Z"}""",
            Encoding.UTF8.GetString(checkpoint.ToJson()));
    }

    [Fact]
    public void Json_reads_back_equal_including_fractions_of_a_second()
    {
        var checkpoint = new Checkpoint(1, 2, new DateTimeOffset(2026, 11, 22, 4, 6, 59, TimeSpan.Zero).AddTicks(1234567));
        Assert.True(Checkpoint.TryParse(checkpoint.ToJson(), out var read));
        Assert.Equal(checkpoint, read);
    }

    [Theory]
    [InlineData("""{"next_index":7,"tree_size":9,"updated":"2026-10-04T08:24:33+02:00"}""")]
    [InlineData("""{"updated":"2026-10-04T06:24:33.000Z","tree_size":9,"next_index":7,"owner":"ingestor-1"}""")]
    public void Other_writers_offsets_key_orders_and_extra_keys_are_read(string json)
    {
        Assert.True(Checkpoint.TryParse(Encoding.UTF8.GetBytes(json), out var read));
        Assert.Equal(new Checkpoint(7, 9, new DateTimeOffset(2026, 10, 4, 6, 24, 33, TimeSpan.Zero)), read);
    }

    [Theory]
    [InlineData("""{"tree_size":9,"updated":"2026-10-04T06:24:33Z"}""")]
    [InlineData("""{"next_index":7,"updated":"2026-10-04T06:24:33Z"}""")]
    [InlineData("""{"next_index":7,"tree_size":9}""")]
    [InlineData("""{"next_index":-1,"tree_size":9,"updated":"2026-10-04T06:24:33Z"}""")]
    [InlineData("""{"next_index":"7","tree_size":9,"updated":"2026-10-04T06:24:33Z"}""")]
    [InlineData("""{"next_index":7,"tree_size":9,"updated":"yesterday"}""")]
    [InlineData("null")]
    [InlineData("[]")]
    [InlineData("{")]
    [InlineData("")]
    public void Anything_else_is_not_a_checkpoint(string json)
    {
        Assert.False(Checkpoint.TryParse(Encoding.UTF8.GetBytes(json), out var read));
        Assert.Null(read);
    }
}
