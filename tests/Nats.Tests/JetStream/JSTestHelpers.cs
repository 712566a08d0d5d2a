using Certstream.Nats.JetStream;
using Certstream.Nats.JetStream.Models;

namespace Certstream.Nats.Tests.JetStream;

internal static class JSTestHelpers
{
    /// <summary>A stream name no other test uses (the fixture's server is shared by a class).</summary>
    public static string UniqueName(string prefix) => prefix + "_" + Guid.NewGuid().ToString("N")[..8];

    public static async Task<(NatsConnection Connection, NatsJSContext Js)> ConnectJsAsync(string url, NatsJSOpts? opts = null)
    {
        var connection = await TestHelpers.ConnectAsync(url);
        return (connection, new NatsJSContext(connection, opts));
    }

    /// <summary>A memory stream over <c>&lt;name&gt;.&gt;</c>; returns its subject prefix.</summary>
    public static async Task<string> CreateStreamAsync(NatsJSContext js, string name, Func<StreamConfig, StreamConfig>? configure = null)
    {
        var config = new StreamConfig(name, name + ".>") { Storage = StreamStorage.Memory };
        if (configure is not null) config = configure(config);
        await js.CreateStreamAsync(config);
        return name + ".";
    }

    public static async Task<List<NatsJSMsg>> FetchAllAsync(NatsJSConsumer consumer, NatsJSFetchOpts opts)
    {
        var list = new List<NatsJSMsg>();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await foreach (var msg in consumer.FetchAsync(opts, cts.Token)) list.Add(msg);
        return list;
    }
}
