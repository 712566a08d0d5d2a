using Certstream.EndToEnd.Tests.Harness;
using Certstream.TestSupport;

namespace Certstream.EndToEnd.Tests;

/// <summary>
/// One pipeline (1 parser, 1 edge) with Calidog's client on each of the three streams, a filtered one, a unique one,
/// one that drops and resumes with <c>since</c>, and a client on the full stream that never reads, all connected before
/// the ingestor starts; then waits until the clients have every entry the simulator served below a cutoff. The simulator
/// logs a share of its certificates to several logs. The tests of <see cref="StreamTests"/> check the result.
/// </summary>
public sealed class StreamsFixture : IAsyncLifetime
{
    internal const int InitialSize = 100;
    internal static readonly TimeSpan DeliveryTimeout = TimeSpan.FromSeconds(120);
    private readonly CancellationTokenSource _cts = new(TimeSpan.FromMinutes(4));

    internal Pipeline Pipeline { get; private set; } = null!;

    internal CertstreamListener Lite { get; private set; } = null!;

    internal CertstreamListener Full { get; private set; } = null!;

    internal CertstreamListener Domains { get; private set; } = null!;

    /// <summary>Calidog's client on the lite stream with server-side filters: <see cref="FilterQuery"/>.</summary>
    internal CertstreamListener Filtered { get; private set; } = null!;

    /// <summary>Precertificates with a name under .de or .co.uk (README "Filters").</summary>
    internal const string FilterQuery = "?domain=de,co.uk&type=precert";

    /// <summary>Whether a served entry passes <see cref="FilterQuery"/>.</summary>
    internal static bool PassesFilter(SimEntry entry) =>
        entry.Type == "precert"
        && EntryExpectations.AllDomains(entry).Any(d => d.EndsWith(".de", StringComparison.OrdinalIgnoreCase) || d.EndsWith(".co.uk", StringComparison.OrdinalIgnoreCase));

    /// <summary>Calidog's client on the lite stream with <c>unique=true</c> (README "Unique certificates").</summary>
    internal CertstreamListener Unique { get; private set; } = null!;

    /// <summary>Share of the simulator's entries that are copies of a certificate another log holds too.</summary>
    internal const double CrossLogRatio = 0.3;

    /// <summary>A lite client that is dropped after <see cref="ResumeAfter"/> certificates …</summary>
    internal CertstreamListener Dropped { get; private set; } = null!;

    /// <summary>… and its second connection, made later with <c>since</c> = the <c>data.seen</c> of the last message it had.</summary>
    internal CertstreamListener Resumed { get; private set; } = null!;

    internal const int ResumeAfter = 60;

    internal RawWebSocket Stalled { get; private set; } = null!;

    internal ServedEntries Served { get; private set; } = null!;

    /// <summary>Set when delivery did not complete; the tests report it with the services' logs.</summary>
    internal Exception? DeliveryFailure { get; private set; }

    public async Task InitializeAsync()
    {
        try
        {
            await RunAsync(_cts.Token);
        }
        catch (Exception e)
        {
            // Reported by every test (with the services' logs) rather than as a fixture error without them.
            DeliveryFailure = e;
        }
    }

    private async Task RunAsync(CancellationToken ct)
    {
        Pipeline = await Pipeline.StartAsync(new PipelineOptions
        {
            // A short backfill burst (400 entries) that the fast clients' queues (client_buffer, default 4 MiB) absorb,
            // then steady growth of ~1 MB/s of full-stream messages, so the stalled client's queue overflows in seconds.
            Simulator = new SimulatorOptions { InitialSize = InitialSize, EntriesPerSecondPerLog = 40, CrossLogRatio = CrossLogRatio },
        }, ct);
        var edge = Pipeline.Edges[0];
        Stalled = await RawWebSocket.ConnectAsync(edge.Port, "/full-stream", receiveBuffer: 4096, ct);
        Lite = await CertstreamListener.ConnectAsync("node lite", edge.WebSocketUri("/"), ct);
        Full = await CertstreamListener.ConnectAsync("node full", edge.WebSocketUri("/full-stream"), ct);
        Domains = await CertstreamListener.ConnectAsync("node domains", edge.WebSocketUri("/domains-only"), ct);
        Filtered = await CertstreamListener.ConnectAsync("node filtered", edge.WebSocketUri("/" + FilterQuery), ct);
        Unique = await CertstreamListener.ConnectAsync("node unique", edge.WebSocketUri("/?unique=true"), ct);
        Dropped = await CertstreamListener.ConnectAsync("node dropped", edge.WebSocketUri("/"), ct);
        await Pipeline.StartIngestorAsync(ct);

        // Drop one client mid-stream; while it is away, more entries go by; then it comes back with since.
        await Dropped.WaitForCountAsync(ResumeAfter, DeliveryTimeout, ct);
        Dropped.Dispose();
        var lastSeen = SeenOf(Dropped.Messages[^1]);
        await Lite.WaitForCountAsync(Dropped.Count + 200, DeliveryTimeout, ct);
        Resumed = await CertstreamListener.ConnectAsync("node resumed", edge.WebSocketUri("/?since=" + lastSeen), ct);
        // The cutoff: what the logs hold once the stalled client is being skipped (growth continues meanwhile).
        // Every entry below it must arrive (the ingestor never skips a range); then every entry served by then.
        await EdgeProbe.EventuallyAsync(async () =>
        {
            using var stats = await EdgeProbe.StatsAsync(edge, ct);
            return stats.RootElement.GetProperty("messages_skipped").GetProperty("full").GetInt64();
        }, skipped => skipped > 0, DeliveryTimeout, "full-stream messages skipped for the stalled client", ct);
        var sim = Pipeline.Simulator;
        var below = sim.KeysBelow(await sim.TreeSizesAsync(ct));
        await Task.WhenAll(Lite.WaitForEntriesAsync(below, DeliveryTimeout, ct), Full.WaitForEntriesAsync(below, DeliveryTimeout, ct));
        Served = await sim.ServedAsync(ct);
        var keys = Served.Keys(sim);
        await Task.WhenAll(
            Lite.WaitForEntriesAsync(keys, DeliveryTimeout, ct),
            Full.WaitForEntriesAsync(keys, DeliveryTimeout, ct),
            Domains.WaitForCountAsync(Served.Count, DeliveryTimeout, ct),
            Filtered.WaitForEntriesAsync(Served.All.Where(e => PassesFilter(e.Entry)).Select(e => (sim.LogByName(e.Log).SourceUrl, e.Entry.Index)), DeliveryTimeout, ct),
            Unique.WaitForLeavesAsync(Served.All.Select(e => LeafOf(e.Entry)), DeliveryTimeout, ct),
            Resumed.WaitForEntriesAsync(keys.Where(key => !Dropped.Entries.ContainsKey(key)), DeliveryTimeout, ct));
    }

    /// <summary>The leaf key (<see cref="CertstreamListener.LeafKey"/>) of a served entry.</summary>
    internal static string LeafOf(SimEntry entry) => CertstreamListener.LeafKey(entry.Type == "precert", entry.Sha256);

    // data.seen exactly as the message carries it.
    private static string SeenOf(string message)
    {
        using var json = System.Text.Json.JsonDocument.Parse(message);
        return json.RootElement.GetProperty("data").GetProperty("seen").GetRawText();
    }

    /// <summary>Fails the calling test with the reason delivery did not complete and the services' last lines.</summary>
    internal void AssertDelivered()
    {
        if (DeliveryFailure is not null) Assert.Fail($"{DeliveryFailure.GetType().Name}: {DeliveryFailure.Message}\n{Pipeline?.Diagnostics()}");
    }

    public async Task DisposeAsync()
    {
        Stalled?.Dispose();
        Lite?.Dispose();
        Full?.Dispose();
        Domains?.Dispose();
        Filtered?.Dispose();
        Unique?.Dispose();
        Dropped?.Dispose();
        Resumed?.Dispose();
        if (Pipeline is not null) await Pipeline.DisposeAsync();
        _cts.Dispose();
    }
}
