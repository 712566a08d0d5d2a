// Benchmarks print one line per figure: "BENCH <name> <value> <unit>" and "RATIO <name> <value>" (SPEC §8).
// `dotnet run -c Release --project bench/Bench -- [name...]`; no name runs them all, in this order.
using Certstream.Bench;

var benches = new (string Name, Func<Task<int>> Run)[]
{
    ("parser", () => Task.FromResult(ParserBench.Run(TimeSpan.FromSeconds(4)))),
    ("parser-service", () => ParserServiceBench.RunAsync(["parser-service"])),
    ("ingest", () => IngestBench.RunAsync(["ingest"])),
    ("e2e", () => EndToEndBench.RunAsync(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(20))),
    ("edge", () => EdgeFanoutBench.RunAsync(messagesPerSecond: 400, TimeSpan.FromSeconds(10))),
};

var selected = args.Length == 0 ? benches : benches.Where(b => args.Contains(b.Name)).ToArray();
if (selected.Length == 0)
{
    Console.Error.WriteLine($"bench: unknown benchmark; choose from: {string.Join(" ", benches.Select(b => b.Name))}");
    return 2;
}
var status = 0;
foreach (var (name, run) in selected)
{
    Console.WriteLine($"# bench {name}");
    status |= await run();
}
return status;
