using System.Diagnostics;

namespace Certstream.Bench;

/// <summary>CPU time of a process, all threads, fresh (a <see cref="Process"/> caches it until refreshed).</summary>
internal static class ProcessCpu
{
    public static TimeSpan Of(Process process)
    {
        process.Refresh();
        return process.TotalProcessorTime;
    }

    public static TimeSpan OfThisProcess()
    {
        using var process = Process.GetCurrentProcess();
        return Of(process);
    }
}
