// Benchmarks print one line per figure: "BENCH <name> <value> <unit>" and "RATIO <name> <value>" (SPEC §8).
// `dotnet run -c Release --project bench/Bench -- [name...]`; no name runs them all.
if (args.Length > 0 && args[0] == "jetstream") return await Certstream.Bench.JetStreamBench.RunAsync(args);
if (args.Length > 0 && args[0] == "parser")
    return Certstream.Bench.ParserBench.Run(TimeSpan.FromSeconds(4));

if (args.Length > 0 && args[0] == "e2e") return await Certstream.Bench.EndToEndBench.RunAsync(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(20));
if (args.Length > 0 && args[0] == "edge") return await Certstream.Bench.EdgeFanoutBench.RunAsync(args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 200, TimeSpan.FromSeconds(10));

Console.WriteLine("bench: no benchmarks yet");
return 0;
