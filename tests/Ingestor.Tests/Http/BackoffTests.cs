using Certstream.Ingestor.Http;

namespace Certstream.Ingestor.Tests.Http;

public sealed class BackoffTests
{
    private static readonly TimeSpan Min = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan Max = TimeSpan.FromSeconds(30);

    [Fact]
    public void The_ceiling_doubles_per_attempt_up_to_the_maximum()
    {
        var backoff = new Backoff(Min, Max);

        Assert.Equal(TimeSpan.FromSeconds(1), backoff.Ceiling(1));
        Assert.Equal(TimeSpan.FromSeconds(2), backoff.Ceiling(2));
        Assert.Equal(TimeSpan.FromSeconds(16), backoff.Ceiling(5));
        Assert.Equal(Max, backoff.Ceiling(6));
        Assert.Equal(Max, backoff.Ceiling(1000));
    }

    [Fact]
    public void Jittered_delays_stay_between_half_the_ceiling_and_the_ceiling()
    {
        var backoff = new Backoff(Min, Max, new Random(42));
        for (var attempt = 1; attempt <= 12; attempt++)
        {
            var delays = Enumerable.Range(0, 200).Select(_ => backoff.Delay(attempt)).ToList();
            var ceiling = backoff.Ceiling(attempt);
            Assert.All(delays, d => Assert.InRange(d, ceiling / 2, ceiling));
            Assert.True(delays.Distinct().Count() > 100, "delays are jittered");
        }
    }

    [Fact]
    public void Retry_after_is_a_lower_bound_capped_at_ten_minutes()
    {
        var backoff = new Backoff(Min, Max, new Random(1));

        Assert.Equal(TimeSpan.FromSeconds(45), backoff.Delay(1, TimeSpan.FromSeconds(45)));
        Assert.Equal(Backoff.MaxRetryAfter, backoff.Delay(1, TimeSpan.FromDays(2)));
        Assert.InRange(backoff.Delay(6, TimeSpan.FromMilliseconds(1)), Max / 2, Max);
    }
}
