using System.Globalization;
using System.Text.Json;

namespace Certstream.TestSupport;

/// <summary>
/// Three (or more) real nats-server processes clustered on 127.0.0.1: routes between all of them, JetStream, server names
/// <c>n0</c>, <c>n1</c>, …, each its own store. A node can be killed (SIGKILL) and started again on its ports and store.
/// </summary>
public sealed class NatsCluster : IAsyncDisposable
{
    private NatsCluster(IReadOnlyList<NatsServer> nodes) => Nodes = nodes;

    public IReadOnlyList<NatsServer> Nodes { get; }

    /// <summary>Every node's client URL, comma-separated, as <c>nats.url</c> takes them.</summary>
    public string Url => string.Join(",", Nodes.Select(n => n.Url));

    public static string NameOf(int node) => "n" + node.ToString(CultureInfo.InvariantCulture);

    public static async Task<NatsCluster> StartAsync(int size = 3)
    {
        var routePorts = Enumerable.Range(0, size).Select(_ => FreePort.Next()).ToArray();
        var routes = string.Join(",", routePorts.Select(p => $"nats://127.0.0.1:{p}"));
        // Started together: a node's JetStream is healthy only once a meta leader is elected, which takes a quorum.
        var starts = Enumerable.Range(0, size).Select(i => NatsServer.StartAsync(
            "--name", NameOf(i), "--cluster_name", "certstream", "--cluster", $"nats://127.0.0.1:{routePorts[i]}", "--routes", routes)).ToList();
        try
        {
            return new NatsCluster(await Task.WhenAll(starts).ConfigureAwait(false));
        }
        catch
        {
            foreach (var start in starts.Where(s => s.IsCompletedSuccessfully)) await start.Result.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The server name leading <paramref name="stream"/>, as a running node's monitor reports it; null when none does.</summary>
    public async Task<string?> LeaderOfAsync(string stream, CancellationToken cancellationToken) =>
        (await PlacementOfAsync(stream, cancellationToken).ConfigureAwait(false))?.Leader;

    /// <summary>How many servers hold <paramref name="stream"/> (its leader and its replicas); 0 when no node can say.</summary>
    public async Task<int> ReplicasOfAsync(string stream, CancellationToken cancellationToken) =>
        (await PlacementOfAsync(stream, cancellationToken).ConfigureAwait(false))?.Servers ?? 0;

    private async Task<(string? Leader, int Servers)?> PlacementOfAsync(string stream, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        foreach (var node in Nodes.Where(n => n.IsRunning))
        {
            try
            {
                var json = await http.GetStringAsync(new Uri($"http://127.0.0.1:{node.MonitorPort}/jsz?accounts=true&streams=true"), cancellationToken).ConfigureAwait(false);
                using var doc = JsonDocument.Parse(json);
                foreach (var account in doc.RootElement.TryGetProperty("account_details", out var a) ? a.EnumerateArray() : default)
                {
                    foreach (var detail in account.TryGetProperty("stream_detail", out var d) ? d.EnumerateArray() : default)
                    {
                        if (detail.GetProperty("name").GetString() != stream || !detail.TryGetProperty("cluster", out var cluster)) continue;
                        var leader = cluster.TryGetProperty("leader", out var l) && l.GetString() is { Length: > 0 } name ? name : null;
                        var replicas = cluster.TryGetProperty("replicas", out var r) && r.ValueKind == JsonValueKind.Array ? r.GetArrayLength() : 0;
                        if (leader is not null) return (leader, replicas + 1);
                    }
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException)
            {
                // This node cannot say: ask the next.
            }
        }
        return null;
    }

    /// <summary>
    /// The server name of the node holding the consumer of <paramref name="stream"/> whose filter subject is
    /// <paramref name="filterSubject"/> (the first one found), as a running node's monitor reports it; null when none does.
    /// </summary>
    public async Task<string?> ConsumerHostAsync(string stream, string filterSubject, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        foreach (var node in Nodes.Where(n => n.IsRunning))
        {
            try
            {
                var json = await http.GetStringAsync(new Uri($"http://127.0.0.1:{node.MonitorPort}/jsz?accounts=true&streams=true&consumers=true&config=true"), cancellationToken).ConfigureAwait(false);
                using var doc = JsonDocument.Parse(json);
                foreach (var account in doc.RootElement.TryGetProperty("account_details", out var a) ? a.EnumerateArray() : default)
                {
                    foreach (var detail in account.TryGetProperty("stream_detail", out var d) ? d.EnumerateArray() : default)
                    {
                        if (detail.GetProperty("name").GetString() != stream) continue;
                        foreach (var consumer in detail.TryGetProperty("consumer_detail", out var c) ? c.EnumerateArray() : default)
                        {
                            if (consumer.TryGetProperty("config", out var config) && config.TryGetProperty("filter_subject", out var filter)
                                && filter.GetString() == filterSubject && consumer.TryGetProperty("cluster", out var cluster)
                                && cluster.TryGetProperty("leader", out var leader) && leader.GetString() is { Length: > 0 } name)
                                return name;
                        }
                    }
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException)
            {
                // This node cannot say: ask the next.
            }
        }
        return null;
    }

    /// <summary>The node of that server name.</summary>
    public NatsServer Node(string name) => Nodes[int.Parse(name.AsSpan(1), CultureInfo.InvariantCulture)];

    public async ValueTask DisposeAsync()
    {
        foreach (var node in Nodes) await node.DisposeAsync().ConfigureAwait(false);
    }
}
