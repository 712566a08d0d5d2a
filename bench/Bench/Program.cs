// Benchmarks print one line per figure: "BENCH <name> <value> <unit>" and "RATIO <name> <value>" (SPEC §8).
// `dotnet run -c Release --project bench/Bench -- [name...]`; no name runs them all.
if (args.Length > 0 && args[0] == "jetstream") return await Certstream.Bench.JetStreamBench.RunAsync(args);
if (args.Length > 0 && args[0] == "parser-service") return await Certstream.Bench.ParserServiceBench.RunAsync(args);
if (args.Length > 0 && args[0] == "parser")
    return Certstream.Bench.ParserBench.Run(TimeSpan.FromSeconds(4));

Console.WriteLine("bench: no benchmarks yet");
return 0;
