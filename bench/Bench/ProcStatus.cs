using System.Globalization;

namespace Certstream.Bench;

/// <summary>Memory figures of a running process from /proc/&lt;pid&gt;/status (Linux).</summary>
internal static class ProcStatus
{
    /// <summary>Resident set size now (<c>VmRSS</c>), in bytes.</summary>
    public static double ResidentBytes(int pid) => Bytes(pid, "VmRSS");

    /// <summary>Peak resident set size so far (<c>VmHWM</c>), in bytes.</summary>
    public static double PeakResidentBytes(int pid) => Bytes(pid, "VmHWM");

    /// <summary>
    /// Resident memory not backed by files: <c>RssAnon</c> (heaps, stacks) plus <c>RssShmem</c> (JIT-compiled code, which .NET
    /// maps through shared memory for W^X), in bytes.
    /// </summary>
    public static double PrivateResidentBytes(int pid) => Bytes(pid, "RssAnon") + Bytes(pid, "RssShmem");

    private static double Bytes(int pid, string field)
    {
        var prefix = field + ":";
        foreach (var line in File.ReadLines($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/status"))
        {
            if (!line.StartsWith(prefix, StringComparison.Ordinal)) continue;
            var kib = line[prefix.Length..].Trim().Split(' ')[0];
            return double.Parse(kib, CultureInfo.InvariantCulture) * 1024;
        }
        throw new InvalidOperationException($"no {field} in /proc/{pid}/status");
    }
}
