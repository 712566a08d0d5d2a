using System.Diagnostics;
using System.Text.Json;
using Certstream.TestSupport;
using static Certstream.Nats.Tests.TestHelpers;

namespace Certstream.Nats.Tests;

/// <summary>Our client against the official JS client (tests/node, @nats-io/transport-node 3.4.0), both directions.</summary>
public sealed class InteropTests(NatsServerFixture nats) : IClassFixture<NatsServerFixture>
{
    private static string NodeDir => Path.Combine(RepoPaths.Root, "tests", "node");

    [Fact]
    public async Task Messages_and_headers_we_publish_arrive_intact_in_the_js_client()
    {
        using var node = StartNode("interop-sub.mjs", nats.Url, "interop.to-js", "3");
        Assert.Equal("READY", await ReadLineAsync(node));

        await using var conn = await ConnectAsync(nats.Url);
        var headers = new NatsHeaders();
        headers.Add("X-Multi", "a");
        headers.Add("X-Multi", "b");
        headers.Add("Case-Key", "MixedValue");
        var binary = Enumerable.Range(0, 256).Select(i => (byte)i).ToArray();
        var big = Enumerable.Range(0, 100_000).Select(i => (byte)(i % 251)).ToArray();
        await conn.PublishAsync("interop.to-js", binary, headers);
        await conn.PublishAsync("interop.to-js", default, replyTo: "reply.subject");
        await conn.PublishAsync("interop.to-js", big);
        await conn.FlushAsync();

        using var first = JsonDocument.Parse(await ReadLineAsync(node));
        Assert.Equal("interop.to-js", first.RootElement.GetProperty("subject").GetString());
        Assert.Equal(binary, first.RootElement.GetProperty("data").GetBytesFromBase64());
        var jsHeaders = first.RootElement.GetProperty("headers").EnumerateArray()
            .ToDictionary(e => e[0].GetString()!, e => e[1].EnumerateArray().Select(v => v.GetString()!).ToArray());
        Assert.Equal(["a", "b"], jsHeaders["X-Multi"]);
        Assert.Equal(["MixedValue"], jsHeaders["Case-Key"]);

        using var second = JsonDocument.Parse(await ReadLineAsync(node));
        Assert.Equal("reply.subject", second.RootElement.GetProperty("reply").GetString());
        Assert.Empty(second.RootElement.GetProperty("data").GetBytesFromBase64());

        using var third = JsonDocument.Parse(await ReadLineAsync(node));
        Assert.Equal(big, third.RootElement.GetProperty("data").GetBytesFromBase64());
        await node.WaitForExitAsync().WaitAsync(Wait);
        Assert.Equal(0, node.ExitCode);
    }

    [Fact]
    public async Task Messages_and_headers_from_the_js_client_arrive_intact_here()
    {
        await using var conn = await ConnectAsync(nats.Url);
        await using var sub = await conn.SubscribeAsync("interop.from-js");
        await conn.FlushAsync();
        using var node = StartNode("interop-pub.mjs", nats.Url, "interop.from-js");
        Assert.Equal("SENT", await ReadLineAsync(node));

        var first = await sub.NextAsync();
        Assert.Equal(Enumerable.Range(0, 256).Select(i => (byte)i).ToArray(), first.Data.ToArray());
        Assert.Equal(["a", "b"], first.Headers!.GetValues("X-Multi"));
        Assert.Equal("MixedValue", first.Headers["Case-Key"]);

        var second = await sub.NextAsync();
        Assert.Equal("reply.subject", second.ReplyTo);
        Assert.True(second.Data.IsEmpty);
        Assert.Null(second.Headers);

        var third = await sub.NextAsync();
        Assert.Equal(Enumerable.Range(0, 100_000).Select(i => (byte)(i % 251)).ToArray(), third.Data.ToArray());
    }

    private static Process StartNode(string script, params string[] args)
    {
        var psi = new ProcessStartInfo("node") { WorkingDirectory = NodeDir, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(script);
        foreach (var a in args) psi.ArgumentList.Add(a);
        return Process.Start(psi) ?? throw new InvalidOperationException("node did not start");
    }

    private static async Task<string> ReadLineAsync(Process node)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var line = await node.StandardOutput.ReadLineAsync(cts.Token);
        if (line is null) throw new InvalidOperationException("node ended: " + await node.StandardError.ReadToEndAsync(cts.Token));
        return line;
    }
}
