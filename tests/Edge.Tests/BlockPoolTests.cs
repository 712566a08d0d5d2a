using Certstream.Hosting.Runtime;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.DependencyInjection;

namespace Certstream.Edge.Tests;

/// <summary>The edge's connection buffers come from a pool the memory trimmer can empty (README "Memory": memory after a crowd leaves).</summary>
public sealed class BlockPoolTests
{
    [Fact]
    public void A_pool_keeps_returned_blocks_until_released_and_reports_them_only_when_idle()
    {
        var factory = new TrimmableBlockPoolFactory();
        var pool = factory.Create();
        var blocks = Enumerable.Range(0, 10).Select(_ => pool.Rent()).ToList();
        Assert.All(blocks, b => Assert.Equal(TrimmableBlockPool.BlockSize, b.Memory.Length));
        foreach (var block in blocks) block.Dispose();

        Assert.Equal(0, factory.RetainedBytes); // rented from since the last look: in use, not worth emptying
        Assert.Equal(10 * TrimmableBlockPool.BlockSize, factory.RetainedBytes); // nothing rented since: idle
        using (var again = pool.Rent()) Assert.Equal(TrimmableBlockPool.BlockSize, again.Memory.Length); // reused, not new
        Assert.Equal(10 * TrimmableBlockPool.BlockSize, factory.Release());
        Assert.Equal(0, factory.Release());
    }

    [Fact]
    public async Task Kestrel_takes_its_buffers_from_that_pool_and_the_trimmer_sees_what_a_crowd_left()
    {
        await using var edge = await Edge.StartAsync();
        var factory = Assert.IsType<TrimmableBlockPoolFactory>(edge.App.Services.GetRequiredService<IMemoryPoolFactory<byte>>());
        Assert.Contains(edge.App.Services.GetServices<IMemoryReleaser>(), r => ReferenceEquals(r, factory));
        var clients = new List<System.Net.WebSockets.ClientWebSocket>();
        for (var i = 0; i < 50; i++) clients.Add(await EdgeClient.ConnectAsync(edge.WebSocketUri("/")));
        await Eventually.TrueAsync(() => edge.Hub.TotalClients == 50, "clients registered");
        edge.Hub.Publish(StreamKind.Lite, "log_a", Messages.Certificate(1));
        foreach (var client in clients) Assert.Contains("\"cert_index\":1", await client.ReceiveTextAsync(), StringComparison.Ordinal);
        foreach (var client in clients) client.Abort();
        await Eventually.TrueAsync(() => edge.Hub.TotalClients == 0, "clients gone");

        _ = factory.RetainedBytes; // the first look ends the period the crowd rented in
        await Eventually.TrueAsync(() => factory.RetainedBytes > 0, "the crowd's blocks pooled and idle");
        Assert.True(factory.Release() > 0);
    }
}
