namespace Certstream.CtLogSim.Tests;

public sealed class CommandLineTests
{
    [Fact]
    public void Flags_map_onto_the_options()
    {
        Assert.True(SimCommandLine.TryParse(
            ["--port", "8090", "--rfc6962-logs", "3", "--tiled-logs", "1", "--rate", "50", "--seed", "9", "--fault-rate", "0.08",
             "--batch-caps", "32,1024", "--initial-size", "100", "--burst-size", "500", "--burst-interval", "2.5", "--slow-delay-ms", "200",
             "--log-state", "rfc6962-1=readonly", "--no-bogus-placeholder"],
            out var command, out var error), error);
        var o = command.Options;
        Assert.Equal((8090, 3, 1, 50.0, 9UL, 100L, 500), (o.Port, o.Rfc6962Logs, o.TiledLogs, o.EntriesPerSecond, o.Seed, o.InitialSize, o.BurstSize));
        Assert.Equal([32, 1024], o.BatchCaps);
        Assert.Equal(TimeSpan.FromSeconds(2.5), o.BurstInterval);
        Assert.Equal(0.08, o.Faults.Total, 9);
        Assert.Equal(0.01, o.Faults.Dropped, 9);
        Assert.Equal(TimeSpan.FromMilliseconds(200), o.Faults.SlowDelay);
        Assert.Equal("readonly", o.StateOf("rfc6962-1"));
        Assert.Equal("usable", o.StateOf("rfc6962-0"));
        Assert.False(o.BogusPlaceholders);
    }

    [Theory]
    [InlineData("--no-such-flag")]
    [InlineData("--port")]
    [InlineData("--port", "x")]
    [InlineData("--fault-rate", "1.5")]
    [InlineData("--log-state", "rfc6962-0=sleepy")]
    public void Bad_flags_are_refused_with_a_message(params string[] args)
    {
        Assert.False(SimCommandLine.TryParse(args, out _, out var error));
        Assert.NotEmpty(error);
    }
}
