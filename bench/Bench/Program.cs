// Benchmarks print one line per figure: "BENCH <name> <value> <unit>" and "RATIO <name> <value>" (SPEC §8).
if (args.Length > 0 && args[0] == "jetstream") return await Certstream.Bench.JetStreamBench.RunAsync(args);
if (args.Length > 0 && args[0] == "ingest") return await Certstream.Bench.IngestBench.RunAsync(args);
Console.WriteLine("bench: no benchmarks yet");
return 0;
