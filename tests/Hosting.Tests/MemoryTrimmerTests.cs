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
        Assert.True(MemoryTrimmer.ShouldTrim(allocatedBytes: 1 * MiB, Look, committedBytes: 120 * MiB, heapBytes: 20 * MiB));
    }

    [Fact]
    public void A_busy_process_is_left_to_the_GC()
    {
        var busy = (long)(MemoryTrimmer.QuietBytesPerSecond * Look.TotalSeconds) + MiB;
        Assert.False(MemoryTrimmer.ShouldTrim(busy, Look, committedBytes: 120 * MiB, heapBytes: 20 * MiB));
    }

    [Fact]
    public void Committed_memory_within_the_slack_of_the_heap_is_not_worth_a_collection()
    {
        Assert.False(MemoryTrimmer.ShouldTrim(0, Look, committedBytes: (20 * MiB) + MemoryTrimmer.Slack, heapBytes: 20 * MiB));
        Assert.True(MemoryTrimmer.ShouldTrim(0, Look, committedBytes: (20 * MiB) + MemoryTrimmer.Slack + 1, heapBytes: 20 * MiB));
    }

    [Fact]
    public void No_time_elapsed_is_no_decision()
    {
        Assert.False(MemoryTrimmer.ShouldTrim(0, TimeSpan.Zero, committedBytes: 120 * MiB, heapBytes: 0));
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
