using System.Diagnostics;
using Certstream.CtLogSim.Issuance;

namespace Certstream.CtLogSim;

/// <summary>Measures issuance throughput (entries/s over all cores), the simulator's limit on growth rates.</summary>
internal static class GenerationBenchmark
{
    public static async Task<double> RunAsync(CtLogSimOptions options, int entries, CancellationToken cancellationToken)
    {
        var issuance = await SimIssuance.CreateAsync(options, cancellationToken).ConfigureAwait(false);
        issuance.IssueRange(0, 0, 512, cancellationToken); // warm-up: JIT and OpenSSL state
        var watch = Stopwatch.StartNew();
        var made = issuance.IssueRange(1, 0, entries, cancellationToken);
        watch.Stop();
        return made.Length / watch.Elapsed.TotalSeconds;
    }
}
