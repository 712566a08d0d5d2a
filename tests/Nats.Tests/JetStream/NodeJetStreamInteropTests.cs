using System.Text;
using System.Text.Json;
using Certstream.Nats.JetStream;
using Certstream.Nats.JetStream.Models;
using Certstream.Nats.KeyValue;
using Certstream.TestSupport;
using static Certstream.Nats.Tests.JetStream.JSTestHelpers;

namespace Certstream.Nats.Tests.JetStream;

/// <summary>The official JS client (@nats-io/jetstream, @nats-io/kv; tests/node/jetstream-interop.mjs) as an independent peer.</summary>
public sealed class NodeJetStreamInteropTests(NatsServerFixture nats) : IClassFixture<NatsServerFixture>
{
    [Fact]
    public async Task The_JS_client_consumes_what_our_pipelined_publisher_stored()
    {
        var (conn, js) = await ConnectJsAsync(nats.Url);
        await using var _ = conn;
        var stream = UniqueName("INTEROP");
        var prefix = await CreateStreamAsync(js, stream);
        await using (var publisher = js.CreatePublisher())
        {
            var futures = new List<NatsJSPubAckFuture>();
            for (var i = 0; i < 50; i++) futures.Add(await publisher.PublishAsync(prefix + "log" + (i % 3), Encoding.UTF8.GetBytes("entry " + i), msgId: "log:" + i));
            foreach (var f in futures) await f;
        }

        var lines = (await RunNodeAsync("consume", nats.Url, stream, "50")).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(50, lines.Length);
        for (var i = 0; i < 50; i++)
        {
            using var doc = JsonDocument.Parse(lines[i]);
            var root = doc.RootElement;
            Assert.Equal(prefix + "log" + (i % 3), root.GetProperty("subject").GetString());
            Assert.Equal(i + 1, root.GetProperty("seq").GetInt32());
            Assert.Equal("entry " + i, root.GetProperty("data").GetString());
            Assert.Equal("log:" + i, root.GetProperty("msgId").GetString());
            Assert.Equal(1, root.GetProperty("delivered").GetInt32());
        }
        // The JS client acked everything on its durable.
        await conn.FlushAsync();
        var info = await js.GetConsumerInfoAsync(stream, "js_reader");
        Assert.Equal(50ul, info.AckFloor.StreamSeq);
    }

    [Fact]
    public async Task Our_KV_reads_what_the_JS_client_wrote_and_the_JS_client_reads_ours()
    {
        var (conn, js) = await ConnectJsAsync(nats.Url);
        await using var _ = conn;
        var bucket = UniqueName("interop_kv");
        using var written = JsonDocument.Parse(await RunNodeAsync("kvput", nats.Url, bucket, "ct_example_log", "{\"next_index\":42}"));
        var revision = written.RootElement.GetProperty("revision").GetUInt64();

        var kv = await js.GetKeyValueAsync(bucket);
        var entry = (await kv.GetAsync("ct_example_log"))!;
        Assert.Equal("{\"next_index\":42}", Encoding.UTF8.GetString(entry.Value.Span));
        Assert.Equal(revision, entry.Revision);

        // The bucket the JS client made is the one we would make: ensuring ours on top changes nothing that matters.
        var stream = await js.GetStreamAsync("KV_" + bucket);
        Assert.True(stream.Config.AllowDirect);
        Assert.True(stream.Config.AllowRollupHeaders);

        var ours = await kv.UpdateAsync("ct_example_log", Encoding.UTF8.GetBytes("{\"next_index\":43}"), revision);
        using var read = JsonDocument.Parse(await RunNodeAsync("kvget", nats.Url, bucket, "ct_example_log"));
        Assert.Equal("{\"next_index\":43}", read.RootElement.GetProperty("value").GetString());
        Assert.Equal(ours, read.RootElement.GetProperty("revision").GetUInt64());

        await kv.DeleteAsync("ct_example_log");
        using var deleted = JsonDocument.Parse(await RunNodeAsync("kvget", nats.Url, bucket, "ct_example_log"));
        Assert.True(deleted.RootElement.GetProperty("missing").GetBoolean());
    }

internal static Task<string> RunNodeAsync(params string[] args)
    {
        NodeScripts.RequirePackage("@nats-io/jetstream");
        return NodeScripts.RunAsync("jetstream-interop.mjs", args);
    }
}
