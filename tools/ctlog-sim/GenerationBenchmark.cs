using System.Diagnostics;
using Certstream.CtLogSim.Issuance;

namespace Certstream.CtLogSim;

/// <summary>Measures issuance throughput (entries/s over all cores), the simulator's limit on growth rates.</summary>
internal static class GenerationBenchmark
{
    public static async Task<GenerationMeasurement> RunAsync(CtLogSimOptions options, int entries, CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        var issuance = await SimIssuance.CreateAsync(options, cancellationToken).ConfigureAwait(false);
        var setup = watch.Elapsed;
        issuance.IssueRange(0, 0, 512, cancellationToken); // warm-up: JIT and OpenSSL state
        using var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        watch.Restart();
        var made = issuance.IssueRange(1, 0, entries, cancellationToken);
        var wall = watch.Elapsed;
        process.Refresh();
        var cpu = process.TotalProcessorTime - cpuBefore;
        return new GenerationMeasurement(made.Length / wall.TotalSeconds, made.Length / cpu.TotalSeconds, setup);
    }
}

/// <param name="EntriesPerCpuSecond">Throughput per core actually used: on a shared machine, the figure that predicts a quiet one.</param>
/// <param name="Setup">Time to make the CAs and the leaf key pool (start-up cost of a simulator).</param>
internal sealed record GenerationMeasurement(double EntriesPerSecond, double EntriesPerCpuSecond, TimeSpan Setup);
