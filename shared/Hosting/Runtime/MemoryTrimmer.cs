using Certstream.Hosting.Metrics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Certstream.Hosting.Runtime;

/// <summary>
/// Gives memory back after a burst. The GC grows the heap to what a catch-up or a burst of traffic needs and keeps it
/// committed once the work is done: no full collection runs in a quiet process, so a service that caught up 400,000
/// entries would hold that memory for good. Every <see cref="Interval"/> this looks at how much was allocated since the
/// last look and how much the GC holds beyond the heap; when the process is quiet (allocating less than
/// <see cref="QuietBytesPerSecond"/>) and holds more than <see cref="Slack"/> beyond its live objects — memory committed
/// but empty at the last collection, plus the garbage allocated since (resident until the next one), plus what idle pools
/// hold (<see cref="IMemoryReleaser.RetainedBytes"/>) — it runs one compacting,
/// decommitting collection (<see cref="GCCollectionMode.Aggressive"/>) — a few milliseconds on heaps this small — after
/// emptying the service's own buffer pools (<see cref="IMemoryReleaser"/>). Under load it never runs: the GC sizes itself for
/// throughput then.
/// </summary>
public sealed partial class MemoryTrimmer(ServiceMetrics metrics, IEnumerable<IMemoryReleaser> caches, ILogger<MemoryTrimmer> logger) : BackgroundService
{
    /// <summary>How often the process is looked at.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    /// <summary>Below this allocation rate the process counts as quiet (a catch-up allocates 100+ MiB/s, the live firehose a few).</summary>
    public const long QuietBytesPerSecond = 16L << 20;

    /// <summary>Committed memory beyond the heap that is not worth a collection.</summary>
    public const long Slack = 8L << 20;

    private readonly Prometheus.Counter _trims = metrics.Factory.CreateCounter(
        "certstream_memory_trims_total", "Full collections run in a quiet moment to return memory a burst left committed.");

    private readonly Prometheus.Counter _returned = metrics.Factory.CreateCounter(
        "certstream_memory_trimmed_bytes_total", "Bytes the GC gave back in those collections (committed before minus after).");

    /// <summary>
    /// Whether a process that allocated <paramref name="allocatedBytes"/> in <paramref name="elapsed"/> and whose GC holds
    /// <paramref name="excessBytes"/> beyond its live objects should be trimmed now.
    /// </summary>
    public static bool ShouldTrim(long allocatedBytes, TimeSpan elapsed, long excessBytes)
    {
        if (elapsed <= TimeSpan.Zero) return false;
        var quiet = allocatedBytes / elapsed.TotalSeconds < QuietBytesPerSecond;
        return quiet && excessBytes > Slack;
    }

    /// <summary>
    /// What the GC holds beyond the live objects: committed bytes the last collection left empty, plus what was allocated
    /// since (mostly garbage by now, and resident).
    /// </summary>
    public static long ExcessBytes()
    {
        var last = GC.GetGCMemoryInfo();
        var live = last.HeapSizeBytes - last.FragmentedBytes;
        var emptyAtLastGc = Math.Max(0, last.TotalCommittedBytes - last.HeapSizeBytes);
        var allocatedSince = Math.Max(0, GC.GetTotalMemory(forceFullCollection: false) - live);
        return emptyAtLastGc + allocatedSince;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Interval);
        var allocated = GC.GetTotalAllocatedBytes();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                var now = GC.GetTotalAllocatedBytes();
                var elapsed = clock.Elapsed;
                clock.Restart();
                if (ShouldTrim(now - allocated, elapsed, ExcessBytes() + caches.Sum(cache => cache.RetainedBytes))) Trim();
                allocated = GC.GetTotalAllocatedBytes();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>Empties the caches and runs the decommitting collection; returns the bytes of committed memory given back.</summary>
    internal long Trim()
    {
        var committedBefore = GC.GetGCMemoryInfo().TotalCommittedBytes;
        foreach (var cache in caches) cache.Release();
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        var committedAfter = GC.GetGCMemoryInfo().TotalCommittedBytes;
        var returned = Math.Max(0, committedBefore - committedAfter);
        _trims.Inc();
        _returned.Inc(returned);
        LogTrimmed(logger, committedBefore >> 20, committedAfter >> 20);
        return returned;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Quiet: GC memory trimmed from {BeforeMiB} MiB to {AfterMiB} MiB committed")]
    private static partial void LogTrimmed(ILogger logger, long beforeMiB, long afterMiB);
}
