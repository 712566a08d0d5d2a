using Xunit.Abstractions;

namespace Certstream.CtLogSim.Tests;

public sealed class DeterminismTests(ITestOutputHelper output)
{
    [Fact]
    public async Task The_same_seed_gives_the_same_certificates_and_another_seed_does_not()
    {
        var options = new CtLogSimOptions { Rfc6962Logs = 1, TiledLogs = 1, InitialSize = 40, Seed = 42 };
        await using var a = await CtLogSimulator.StartAsync(options, CancellationToken.None);
        await using var b = await CtLogSimulator.StartAsync(options, CancellationToken.None);
        await using var c = await CtLogSimulator.StartAsync(options with { Seed = 43 }, CancellationToken.None);

        Assert.Equal(a.Logs.Select(l => l.Key), b.Logs.Select(l => l.Key));
        Assert.NotEqual(a.Logs.Select(l => l.Key), c.Logs.Select(l => l.Key));
        foreach (var log in new[] { "rfc6962-0", "static-0" })
        {
            var x = a.Record.Entries(log, 0, 39);
            var y = b.Record.Entries(log, 0, 39);
            var z = c.Record.Entries(log, 0, 39);
            Assert.Equal(x.Select(e => e.Facts.SerialNumber), y.Select(e => e.Facts.SerialNumber));
            Assert.Equal(x.Select(e => string.Join(",", e.Facts.DnsNames)), y.Select(e => string.Join(",", e.Facts.DnsNames)));
            Assert.Equal(x.Select(e => e.Type), y.Select(e => e.Type));
            // A precert's logged TBS has no signature in it, so it is byte-identical (ECDSA signatures are randomized).
            Assert.Equal(x.Where(e => e.PrecertTbs is not null).Select(e => Convert.ToHexString(e.PrecertTbs!)), y.Where(e => e.PrecertTbs is not null).Select(e => Convert.ToHexString(e.PrecertTbs!)));
            Assert.NotEqual(x.Select(e => e.Facts.SerialNumber), z.Select(e => e.Facts.SerialNumber));
        }
    }

    [Fact]
    public async Task Issuance_is_fast_enough_for_the_benchmarks()
    {
        var measured = await GenerationBenchmark.RunAsync(new CtLogSimOptions { Seed = 1 }, 10_000, CancellationToken.None);
        var rate = measured.EntriesPerSecond;
        output.WriteLine($"BENCH ctlog_sim_generation {rate:F0} entries/s, {measured.EntriesPerCpuSecond:F0} entries/cpu-s, setup {measured.Setup.TotalMilliseconds:F0} ms (on this machine, shared)");
        // 20,000/s needs the machine to itself; under parallel test load a floor well below that still catches regressions of 10×.
        Assert.True(rate > 1500, $"{rate:F0} entries/s");
    }
}
