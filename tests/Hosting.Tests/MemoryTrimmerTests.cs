using Certstream.Hosting.Metrics;
using Certstream.Hosting.Runtime;
using Microsoft.Extensions.Logging.Abstractions;

namespace Certstream.Hosting.Tests;

/// <summary>When a quiet service gives back what a burst left committed, and what a trim does.</summary>
public sealed class MemoryTrimmerTests
{
    private const long MiB = 1 << 20;
    private static readonly TimeSpan Look = MemoryTrimmer.Interval;

    [Fact]
    public void A_quiet_process_holding_much_more_than_its_heap_is_trimmed()
    {
        Assert.True(MemoryTrimmer.ShouldTrim(allocatedBytes: 1 * MiB, Look, excessBytes: 100 * MiB));
    }

    [Fact]
    public void A_busy_process_is_left_to_the_GC()
    {
        var busy = (long)(MemoryTrimmer.QuietBytesPerSecond * Look.TotalSeconds) + MiB;
        Assert.False(MemoryTrimmer.ShouldTrim(busy, Look, excessBytes: 100 * MiB));
    }

    [Fact]
    public void Memory_within_the_slack_is_not_worth_a_collection()
    {
        Assert.False(MemoryTrimmer.ShouldTrim(0, Look, excessBytes: MemoryTrimmer.Slack));
        Assert.True(MemoryTrimmer.ShouldTrim(0, Look, excessBytes: MemoryTrimmer.Slack + 1));
    }

    [Fact]
    public void Garbage_allocated_since_the_last_collection_counts_as_excess()
    {
        // Other tests allocate at the same time: a measurement a collection fell into is taken again.
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var collections = GC.CollectionCount(0);
            var before = MemoryTrimmer.ExcessBytes();
            var garbage = new List<byte[]>();
            for (var i = 0; i < 64; i++) garbage.Add(new byte[16 * 1024]);
            garbage.Clear();
            var after = MemoryTrimmer.ExcessBytes();
            if (GC.CollectionCount(0) != collections) continue;
            Assert.True(after >= before + (1 << 20), $"1 MiB allocated since the last collection is not counted ({before} -> {after})");
            return;
        }
        Assert.Fail("a collection ran during each of five measurements");
    }

    [Fact]
    public void No_time_elapsed_is_no_decision()
    {
        Assert.False(MemoryTrimmer.ShouldTrim(0, TimeSpan.Zero, excessBytes: 100 * MiB));
    }

    [Fact]
    public async Task A_trim_empties_the_registered_caches_and_is_counted()
    {
        var metrics = new ServiceMetrics(includeProcessMetrics: false);
        var cache = new CountingCache();
        var trimmer = new MemoryTrimmer(metrics, [cache], NullLogger<MemoryTrimmer>.Instance);

        trimmer.Trim();
        trimmer.Trim();

        Assert.Equal(2, cache.Releases);
        var exposition = await metrics.ScrapeAsync();
        Assert.Contains("certstream_memory_trims_total 2", exposition, StringComparison.Ordinal);
        Assert.Contains("certstream_memory_trimmed_bytes_total", exposition, StringComparison.Ordinal);
    }

    private sealed class CountingCache : IMemoryReleaser
    {
        public int Releases { get; private set; }

        public long Release()
        {
            Releases++;
            return 0;
        }
    }
}
