// Benchmarks print one line per figure: "BENCH <name> <value> <unit>" and "RATIO <name> <value>" (SPEC §8).
if (args.Length > 0 && args[0] == "nats")
{
    await Certstream.Bench.NatsBench.RunAsync(CancellationToken.None);
    return;
}
Console.WriteLine("bench: no benchmarks yet");
