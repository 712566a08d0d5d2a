using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Certstream.Hosting.Metrics;

/// <summary>
/// The standard process_* families (as Prometheus client libraries name them, so stock dashboards work) and a
/// few cheap .NET runtime ones, read at scrape time. Linux values come from /proc; elsewhere from Process.
/// </summary>
internal sealed class ProcessMetrics
{
    private const string ProcStat = "/proc/self/stat";
    private const string ProcFd = "/proc/self/fd";
    private const string ProcLimits = "/proc/self/limits";

    private readonly double _startTimeSeconds;
    private readonly byte[][] _generationLabels;

    public ProcessMetrics()
    {
        using var process = Process.GetCurrentProcess();
        _startTimeSeconds = new DateTimeOffset(process.StartTime.ToUniversalTime()).ToUnixTimeMilliseconds() / 1000.0;
        _generationLabels = [.. Enumerable.Range(0, GC.MaxGeneration + 1)
            .Select(g => ExpositionWriter.EncodeLabel("generation", g.ToString(CultureInfo.InvariantCulture)))];
    }

    public void Write(ExpositionWriter writer)
    {
        WriteProcess(writer);
        WriteRuntime(writer);
    }

    private void WriteProcess(ExpositionWriter writer)
    {
        Write(writer, "process_cpu_seconds_total", "Total user and system CPU time spent in seconds.", MetricType.Counter,
            Environment.CpuUsage.TotalTime.TotalSeconds);

        var (virtualBytes, residentBytes) = ReadMemory();
        Write(writer, "process_resident_memory_bytes", "Resident memory size in bytes.", MetricType.Gauge, residentBytes);
        Write(writer, "process_virtual_memory_bytes", "Virtual memory size in bytes.", MetricType.Gauge, virtualBytes);
        Write(writer, "process_start_time_seconds", "Start time of the process since unix epoch in seconds.", MetricType.Gauge, _startTimeSeconds);

        if (CountOpenFds() is { } openFds)
            Write(writer, "process_open_fds", "Number of open file descriptors.", MetricType.Gauge, openFds);
        if (ReadMaxFds() is { } maxFds)
            Write(writer, "process_max_fds", "Maximum number of open file descriptors.", MetricType.Gauge, maxFds);
    }

    private void WriteRuntime(ExpositionWriter writer)
    {
        writer.WriteFamilyHeader("dotnet_gc_collections_total", "Garbage collections since the process started, by generation.", MetricType.Counter);
        var name = Encoding.ASCII.GetBytes("dotnet_gc_collections_total");
        for (var generation = 0; generation < _generationLabels.Length; generation++)
            writer.WriteSample(name, default, _generationLabels[generation], default, (long)GC.CollectionCount(generation));

        // GetTotalMemory, not GCMemoryInfo.HeapSizeBytes: the latter is as of the last collection and 0 before the first.
        Write(writer, "dotnet_gc_heap_size_bytes", "Bytes currently thought to be allocated on the managed heap.", MetricType.Gauge,
            GC.GetTotalMemory(forceFullCollection: false));
        Write(writer, "dotnet_gc_allocated_bytes_total", "Bytes allocated on the managed heap since the process started.", MetricType.Counter,
            GC.GetTotalAllocatedBytes(precise: false));
        Write(writer, "dotnet_gc_pause_seconds_total", "Time the runtime was paused for garbage collection, in seconds.", MetricType.Counter,
            GC.GetTotalPauseDuration().TotalSeconds);
        Write(writer, "dotnet_threadpool_threads", "Thread pool threads.", MetricType.Gauge, (long)ThreadPool.ThreadCount);
        Write(writer, "dotnet_threadpool_queue_length", "Work items queued to the thread pool and not yet started.", MetricType.Gauge,
            ThreadPool.PendingWorkItemCount);
        Write(writer, "dotnet_threadpool_completed_items_total", "Work items the thread pool has completed.", MetricType.Counter,
            ThreadPool.CompletedWorkItemCount);
        Write(writer, "dotnet_monitor_lock_contentions_total", "Times a thread waited for a contended Monitor lock.", MetricType.Counter,
            Monitor.LockContentionCount);
    }

    private static void Write(ExpositionWriter writer, string name, string help, MetricType type, long value)
    {
        writer.WriteFamilyHeader(name, help, type);
        writer.WriteSample(Encoding.ASCII.GetBytes(name), default, default, default, value);
    }

    private static void Write(ExpositionWriter writer, string name, string help, MetricType type, double value)
    {
        writer.WriteFamilyHeader(name, help, type);
        writer.WriteSample(Encoding.ASCII.GetBytes(name), default, default, default, value);
    }

    /// <summary>vsize and rss from /proc/self/stat (fields 23 and 24, proc(5)), or Process's view of the same.</summary>
    private static (long Virtual, long Resident) ReadMemory()
    {
        if (File.Exists(ProcStat))
        {
            try
            {
                var stat = File.ReadAllText(ProcStat);
                // The command name (field 2) is in parentheses and may hold spaces: count fields after its ')'.
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                var vsize = long.Parse(fields[23 - 3], CultureInfo.InvariantCulture);
                var rssPages = long.Parse(fields[24 - 3], CultureInfo.InvariantCulture);
                return (vsize, rssPages * Environment.SystemPageSize);
            }
            catch (Exception e) when (e is IOException or FormatException or IndexOutOfRangeException or ArgumentOutOfRangeException)
            {
                // Fall through to Process, which works everywhere.
            }
        }
        using var process = Process.GetCurrentProcess();
        return (process.VirtualMemorySize64, process.WorkingSet64);
    }

    private static long? CountOpenFds()
    {
        if (!Directory.Exists(ProcFd)) return null;
        try
        {
            // Counts the descriptor the enumeration itself holds, as the Go client does.
            return Directory.EnumerateFileSystemEntries(ProcFd).LongCount();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>The soft limit from the "Max open files" line of /proc/self/limits.</summary>
    private static long? ReadMaxFds()
    {
        if (!File.Exists(ProcLimits)) return null;
        try
        {
            foreach (var line in File.ReadLines(ProcLimits))
            {
                if (!line.StartsWith("Max open files", StringComparison.Ordinal)) continue;
                var parts = line["Max open files".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
                return parts.Length > 0 && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var soft) ? soft : null;
            }
        }
        catch (IOException)
        {
        }
        return null;
    }
}
