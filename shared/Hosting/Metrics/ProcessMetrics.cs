using System.Globalization;

namespace Certstream.Hosting.Metrics;

/// <summary>
/// The standard <c>process_*</c> families that prometheus-net's <c>DotNetStats</c> does not export, named as the other
/// Prometheus clients name them so stock dashboards and our benchmarks work: resident memory and file descriptors,
/// read from /proc at scrape time (Linux; elsewhere from <see cref="System.Diagnostics.Process"/>, without descriptors).
/// </summary>
internal static class ProcessMetrics
{
    private const string ProcStatm = "/proc/self/statm";
    private const string ProcFd = "/proc/self/fd";
    private const string ProcLimits = "/proc/self/limits";

    public static void Register(ServiceMetrics metrics)
    {
        var resident = metrics.Factory.CreateGauge("process_resident_memory_bytes", "Resident memory size in bytes.");
        var linux = File.Exists(ProcStatm);
        var openFds = linux ? metrics.Factory.CreateGauge("process_open_fds", "Number of open file descriptors.") : null;
        var maxFds = linux ? metrics.Factory.CreateGauge("process_max_fds", "Maximum number of open file descriptors.") : null;
        metrics.BeforeCollect(() =>
        {
            resident.Set(ResidentBytes());
            if (CountOpenFds() is { } open) openFds?.Set(open);
            if (ReadMaxFds() is { } max) maxFds?.Set(max);
        });
    }

    /// <summary>The second field of /proc/self/statm (resident pages, proc(5)), or the working set elsewhere.</summary>
    private static long ResidentBytes()
    {
        try
        {
            var fields = File.ReadAllText(ProcStatm).Split(' ');
            return long.Parse(fields[1], CultureInfo.InvariantCulture) * Environment.SystemPageSize;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            using var process = System.Diagnostics.Process.GetCurrentProcess();
            return process.WorkingSet64;
        }
    }

    private static long? CountOpenFds()
    {
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
        try
        {
            foreach (var line in File.ReadLines(ProcLimits))
            {
                if (!line.StartsWith("Max open files", StringComparison.Ordinal)) continue;
                var parts = line["Max open files".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
                return parts.Length > 0 && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var soft) ? soft : null;
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
        return null;
    }
}
