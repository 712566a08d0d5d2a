// Benchmarks print one line per figure: "BENCH <name> <value> <unit>" and "RATIO <name> <value>" (README "Quick start").
// `dotnet run -c Release --project bench/Bench -- [name...]`; no name runs them all, in this order.
// The services run as the shipped build, Native AOT (artifacts/aot, `make aot`; `make bench` publishes it first); the
// "-jit" benchmarks and the memory benchmark's "_jit" figures run the same services as dotnet assemblies, in the same run.
using Certstream.Bench;
using Certstream.TestSupport;

var aot = ServiceBinaries.Of(ServiceBuild.Aot);
var jit = ServiceBinaries.Of(ServiceBuild.Jit);
var benches = new (string Name, Func<Task<int>> Run)[]
{
    ("parser", () => Task.FromResult(ParserBench.Run(TimeSpan.FromSeconds(4)))),
    ("parser-service", () => ParserServiceBench.RunAsync(["parser-service"])),
    ("ingest", () => IngestBench.RunAsync(aot, "")),
    ("ingest-jit", () => IngestBench.RunAsync(jit, "_jit")),
    // The memory/catch-up trade-off of ingestor.fetch_buffer (README "Memory").
    ("ingest-buffers", async () =>
    {
        var status = 0;
        foreach (var mib in new[] { 4, 8, 16, 32, 64 }) status |= await IngestBench.RunAsync(aot, $"_buffer_{mib}mib", $"{mib}MiB");
        return status;
    }),
    ("e2e", () => EndToEndBench.RunAsync(aot, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(20))),
    ("edge", () => EdgeFanoutBench.RunAsync(aot, "", messagesPerSecond: 400, TimeSpan.FromSeconds(10))),
    ("edge-jit", () => EdgeFanoutBench.RunAsync(jit, "_jit", messagesPerSecond: 400, TimeSpan.FromSeconds(10))),
    ("edge-filtered", () => EdgeFanoutBench.RunFilteredAsync(aot, messagesPerSecond: 400, TimeSpan.FromSeconds(10))),
    ("replay", () => ReplayBench.RunAsync(aot)),
    ("crowd", () => CrowdBench.RunAsync(aot)),
    ("crowd-jit", () => CrowdBench.RunAsync(jit, "_jit")),
    ("unique", () => UniqueBench.RunAsync(aot, TimeSpan.FromSeconds(15))),
    // Issue [12]: ingest and end to end on one nats-server and on a 3-node cluster with replicas 3, in the same run.
    ("cluster", async () =>
    {
        var single = await IngestBench.MeasureAsync(aot, "_1node", perLog: 25_000UL);
        var clustered = await IngestBench.MeasureAsync(aot, "_3node_r3", perLog: 25_000UL, natsNodes: 3);
        var e2eSingle = await EndToEndBench.MeasureAsync(aot, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(20), suffix: "_1node");
        var e2eCluster = await EndToEndBench.MeasureAsync(aot, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(20), natsNodes: 3, suffix: "_3node_r3");
        BenchOutput.Ratio("cluster_ingest_rate_3node_r3_vs_1node", clustered / single);
        BenchOutput.Ratio("cluster_e2e_p99_3node_r3_vs_1node", e2eCluster.P99Ms / e2eSingle.P99Ms);
        return (single > 0 && clustered > 0 ? 0 : 1) | e2eSingle.Status | e2eCluster.Status;
    }),
    ("memory", () => MemoryBench.RunAsync(aot, TimeSpan.FromSeconds(10))),
    ("memory-jit", () => MemoryBench.RunAsync(jit, TimeSpan.FromSeconds(10))),
};

var selected = args.Length == 0 ? benches : benches.Where(b => args.Contains(b.Name)).ToArray();
if (selected.Length == 0)
{
    Console.Error.WriteLine($"bench: unknown benchmark; choose from: {string.Join(" ", benches.Select(b => b.Name))}");
    return 2;
}
if (!File.Exists(aot.Edge))
{
    Console.Error.WriteLine($"bench: the Native AOT build is missing ({aot.Edge}); run make aot, or make bench which publishes it");
    return 2;
}
var status = 0;
foreach (var (name, run) in selected)
{
    Console.WriteLine($"# bench {name}");
    status |= await run();
}
return status;
