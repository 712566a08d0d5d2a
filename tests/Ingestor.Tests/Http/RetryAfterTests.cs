using Certstream.Ingestor.Http;

namespace Certstream.Ingestor.Tests.Http;

public sealed class RetryAfterTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 4, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("0", 0)]
    [InlineData("7", 7)]
    [InlineData(" 120 ", 120)]
    public void Delay_seconds_are_read(string value, int seconds) =>
        Assert.Equal(TimeSpan.FromSeconds(seconds), RetryAfter.Parse(value, Now));

    [Fact]
    public void An_http_date_is_measured_from_now()
    {
        Assert.Equal(TimeSpan.FromSeconds(90), RetryAfter.Parse("Sun, 22 Nov 2026 04:01:30 GMT", Now));
    }

    [Fact]
    public void A_date_in_the_past_means_retry_now()
    {
        Assert.Equal(TimeSpan.Zero, RetryAfter.Parse("Wed, 21 Oct 2015 07:28:00 GMT", Now));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("-5")]
    [InlineData("soon")]
    [InlineData("1.5")]
    public void Missing_or_invalid_values_give_no_delay(string? value) => Assert.Null(RetryAfter.Parse(value, Now));
}
