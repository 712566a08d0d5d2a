using Certstream.Contracts;
using Certstream.TestSupport;
using NATS.Client.JetStream;
using NATS.Client.KeyValueStore;

namespace Certstream.Containers.Tests;

/// <summary>
/// The product in real containers (the project's image, NATS, the simulator on one network, as the compose demo runs
/// them), driven with Testcontainers: certificates reach a WebSocket client, a parser killed mid-stream loses nothing, and
/// taking everything down and up again resumes from the checkpoint in the NATS volume without a gap.
/// </summary>
public sealed class ComposeTopologyTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromMinutes(4);

    [ContainerFact]
    public async Task Certificates_arrive_through_the_containers_and_a_parser_killed_mid_stream_loses_nothing()
    {
        using var cts = new CancellationTokenSource(Patience + TimeSpan.FromMinutes(1));
        var ct = cts.Token;
        await using var pipeline = await ContainerPipeline.StartAsync(parsers: 2, ct);
        await WithDiagnosticsAsync(pipeline, async () =>
        {
            using var client = await LiteClient.ConnectAsync(pipeline.EdgeWebSocket("/"), ct);
            // Entries appended from now on are processed after the client connected: every one of them must reach it.
            var from = (await pipeline.LogsAsync(ct)).ToDictionary(l => l.Name, l => l.TreeSize);
            await Until(() => client.Count >= 30, "30 certificates through the containers", ct);

            await ContainerPipeline.KillAsync(pipeline.Parsers[0]);
            var cutoff = await GrowAsync(pipeline, from, 60, ct);
            // What the killed parser had fetched but not acked comes back to the other after ack_wait (30 s).
            await Until(() => Missing(client, cutoff, from).Count == 0, "every entry appended since the client connected", ct,
                () => $"missing: {string.Join(", ", Missing(client, cutoff, from).Take(10))}");
        });
    }

    [ContainerFact]
    public async Task Down_and_up_again_resumes_from_the_checkpoint_in_the_volume_without_a_gap()
    {
        using var cts = new CancellationTokenSource(Patience + TimeSpan.FromMinutes(1));
        var ct = cts.Token;
        await using var pipeline = await ContainerPipeline.StartAsync(parsers: 1, ct);
        await WithDiagnosticsAsync(pipeline, async () =>
        {
            var logs = await pipeline.LogsAsync(ct);
            var rfc6962 = logs.Where(l => l.Kind == "rfc6962").ToList();
            // A checkpoint well into each RFC 6962 log before going down.
            var before = new Dictionary<string, ulong>();
            await using (var client = await NatsClients.ConnectAsync(pipeline.NatsUrl, "containers-test"))
            {
                var checkpoints = await new NatsKVContext(new NatsJSContext(client)).GetStoreAsync(JetStreamNames.CheckpointsBucket, ct);
                foreach (var log in rfc6962)
                {
                    await Until(async () => (await CheckpointAsync(checkpoints, log, ct)) >= 40, $"{log.Name}: a checkpoint of 40", ct);
                    before[log.Name] = await CheckpointAsync(checkpoints, log, ct);
                }
            }

            await pipeline.DownAsync(ct);
            await pipeline.UpAsync(ct);

            var cutoff = await GrowAsync(pipeline, logs.ToDictionary(l => l.Name, l => l.TreeSize), 20, ct);
            await using var after = await NatsClients.ConnectAsync(pipeline.NatsUrl, "containers-test");
            var js = new NatsJSContext(after);
            foreach (var log in logs)
            {
                var key = LogKey.FromUrl(log.Url);
                List<ulong> stored = [];
                await Until(async () =>
                {
                    stored = await RawStream.IndexesAsync(js, key, ct);
                    return stored.Count(i => i < (ulong)cutoff[log.Name]) >= cutoff[log.Name];
                }, $"{log.Name}: CT_RAW to hold every index below {cutoff[log.Name]}", ct);
                var below = stored.Where(i => i < (ulong)cutoff[log.Name]).ToList();
                // Every index once: no gap across the restart, and the stream's dedupe took any tail fetched twice.
                Assert.Equal(Enumerable.Range(0, (int)cutoff[log.Name]).Select(i => (ulong)i), below.Order());
            }
            // Resumed from the checkpoint, not from the start: what lay below it was never fetched again.
            foreach (var log in rfc6962)
            {
                var served = await pipeline.ServedAsync(log.Name, (long)before[log.Name], ct);
                Assert.True(served.All(s => s == 1), $"{log.Name}: entries below the checkpoint {before[log.Name]} fetched again after the restart");
            }
        });
    }

    private static async Task<ulong> CheckpointAsync(INatsKVStore checkpoints, SimLog log, CancellationToken cancellationToken)
    {
        var entry = await checkpoints.TryGetEntryAsync<byte[]>(LogKey.FromUrl(log.Url), cancellationToken: cancellationToken);
        return entry.Success && entry.Value.Value is { } value && Checkpoint.TryParse(value, out var checkpoint) ? checkpoint.NextIndex : 0;
    }

    /// <summary>Waits until every log grew by <paramref name="entries"/> past <paramref name="from"/>; returns the sizes then.</summary>
    private static async Task<Dictionary<string, long>> GrowAsync(ContainerPipeline pipeline, Dictionary<string, long> from, long entries, CancellationToken cancellationToken)
    {
        Dictionary<string, long> now = [];
        await Until(async () =>
        {
            now = (await pipeline.LogsAsync(cancellationToken)).ToDictionary(l => l.Name, l => l.TreeSize);
            return now.All(l => l.Value >= from[l.Key] + entries);
        }, $"the logs to grow by {entries} entries", cancellationToken);
        return now;
    }

    private static List<string> Missing(LiteClient client, Dictionary<string, long> cutoff, Dictionary<string, long> from) =>
        [.. cutoff.SelectMany(l => Enumerable.Range((int)from[l.Key], (int)(l.Value - from[l.Key]))
            .Where(i => !client.Has($"http://{ContainerPipeline.SimulatorAlias}:8090/{l.Key}", i))
            .Select(i => $"{l.Key}#{i}"))];

    private static Task Until(Func<bool> condition, string what, CancellationToken cancellationToken, Func<string>? state = null) =>
        Until(() => Task.FromResult(condition()), what, cancellationToken, state);

    /// <summary>Bounded polling (the state is in other processes; there is no event to await).</summary>
    private static async Task Until(Func<Task<bool>> condition, string what, CancellationToken cancellationToken, Func<string>? state = null)
    {
        var deadline = DateTime.UtcNow + Patience;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"not within {Patience}: {what}{(state is null ? "" : " (" + state() + ")")}");
            await Task.Delay(250, cancellationToken);
        }
    }

    private static async Task WithDiagnosticsAsync(ContainerPipeline pipeline, Func<Task> test)
    {
        try
        {
            await test();
        }
        catch (Exception e) when (e is TimeoutException or Xunit.Sdk.XunitException)
        {
            throw new InvalidOperationException(e.Message + "\n" + await pipeline.DiagnosticsAsync(), e);
        }
    }
}
