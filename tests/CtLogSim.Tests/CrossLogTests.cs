namespace Certstream.CtLogSim.Tests;

public sealed class CrossLogTests
{
    [Fact]
    public async Task A_share_of_entries_are_the_same_certificate_as_another_logs_and_none_is_in_more_than_three_logs()
    {
        var options = new CtLogSimOptions { Rfc6962Logs = 2, TiledLogs = 2, Seed = 7, CrossLogRatio = 0.3 };
        await using var sim = await CtLogSimulator.StartAsync(options, CancellationToken.None);
        foreach (var round in Enumerable.Range(0, 5))
        {
            foreach (var log in sim.Logs) await sim.AppendAsync(log.Name, 100, CancellationToken.None);
        }

        var entries = sim.Logs.SelectMany(log => sim.Record.Entries(log.Name, 0, 499).Select(e => (Log: log.Name, Entry: e))).ToList();
        var byCertificate = entries.GroupBy(e => e.Entry.Facts.Sha256).ToList();
        var copies = entries.Count - byCertificate.Count;
        // Every log but the first appends copies of certificates the others issued: about 30 % of those entries.
        Assert.InRange(copies, entries.Count / 6, entries.Count / 2);
        Assert.All(byCertificate, g => Assert.InRange(g.Count(), 1, 1 + 2));
        // The copies are in other logs (never twice in one), and byte for byte the same entry content.
        Assert.All(byCertificate, g => Assert.Equal(g.Count(), g.Select(e => e.Log).Distinct().Count()));
        Assert.All(byCertificate.Where(g => g.Count() > 1), g => Assert.Single(g.Select(e => Convert.ToHexString(e.Entry.PrecertTbs ?? e.Entry.Certificate)).Distinct()));
    }

    [Fact]
    public async Task With_the_ratio_at_zero_every_entry_is_its_own_certificate()
    {
        await using var sim = await CtLogSimulator.StartAsync(new CtLogSimOptions { Rfc6962Logs = 2, TiledLogs = 1, InitialSize = 200, Seed = 7 }, CancellationToken.None);
        var entries = sim.Logs.SelectMany(log => sim.Record.Entries(log.Name, 0, 199)).ToList();
        Assert.Equal(entries.Count, entries.Select(e => e.Facts.Sha256).Distinct().Count());
    }
}
