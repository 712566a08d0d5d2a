// The CT log simulator as a process: `dotnet run --project tools/ctlog-sim -- --port 8090 --rfc6962-logs 2 ...`.
// Composition only; the work lives in the other files of this folder.
using System.Runtime.InteropServices;
using Certstream.CtLogSim;

if (!SimCommandLine.TryParse(args, out var command, out var error))
{
    await Console.Error.WriteLineAsync(error);
    await Console.Error.WriteLineAsync(SimCommandLine.Usage);
    return 2;
}
if (command.Help)
{
    Console.WriteLine(SimCommandLine.Usage);
    return 0;
}

using var stop = new CancellationTokenSource();
using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; stop.Cancel(); });
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stop.Cancel(); });

if (command.MeasureGeneration > 0)
{
    var measured = await GenerationBenchmark.RunAsync(command.Options, command.MeasureGeneration, stop.Token);
    Console.WriteLine($"BENCH ctlog_sim_generation {measured.EntriesPerSecond:F0} entries/s");
    Console.WriteLine($"BENCH ctlog_sim_generation_per_cpu {measured.EntriesPerCpuSecond:F0} entries/cpu-s");
    Console.WriteLine($"BENCH ctlog_sim_setup {measured.Setup.TotalMilliseconds:F0} ms");
    return 0;
}

await using var simulator = await CtLogSimulator.StartAsync(command.Options, stop.Token);
Console.WriteLine($"LOG_LIST_URL {simulator.LogListUrl}");
foreach (var log in simulator.Logs)
    Console.WriteLine($"LOG {log.Name} {(log.Kind == Certstream.CtLogSim.Logs.LogKind.Rfc6962 ? "rfc6962 cap=" + log.BatchCap : "static-ct")} {log.Url}");
try
{
    await Task.Delay(Timeout.Infinite, stop.Token);
}
catch (OperationCanceledException)
{
    // SIGINT/SIGTERM: dispose and exit 0.
}
return 0;
