// Benchmarks print one line per figure: "BENCH <name> <value> <unit>" and "RATIO <name> <value>" (SPEC §8).
Console.WriteLine("bench: no benchmarks yet");
