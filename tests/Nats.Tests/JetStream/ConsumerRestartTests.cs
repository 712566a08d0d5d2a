using System.Text;
using Certstream.Nats.JetStream;
using Certstream.Nats.JetStream.Models;
using Certstream.TestSupport;

namespace Certstream.Nats.Tests.JetStream;

public sealed class ConsumerRestartTests
{
    [Fact]
    public async Task Consume_resumes_after_the_server_is_killed_and_restarted()
    {
        await using var server = await NatsServer.StartAsync();
        await using var conn = await TestHelpers.ConnectAsync(server.Url, o => o with { ReconnectWaitMin = TimeSpan.FromMilliseconds(50), ReconnectWaitMax = TimeSpan.FromMilliseconds(200) });
        var js = new NatsJSContext(conn);
        await js.CreateStreamAsync(new StreamConfig("CT_RAW", "ct.raw.>"));
        var consumer = await js.CreateOrUpdateConsumerAsync("CT_RAW", new ConsumerConfig("parser") { AckWait = TimeSpan.FromSeconds(2) });
        for (var i = 0; i < 100; i++) await js.PublishAsync("ct.raw.a", Encoding.ASCII.GetBytes("e" + i), new NatsJSPubOpts { MsgId = "a:" + i });
        var reconnected = TestHelpers.Next<NatsConnectionEventArgs>(h => conn.Reconnected += h);

        var seen = new HashSet<string>();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var restarted = false;
        await foreach (var msg in consumer.ConsumeAsync(new NatsJSConsumeOpts { MaxMsgs = 20, Expires = TimeSpan.FromSeconds(2), IdleHeartbeat = TimeSpan.FromMilliseconds(300) }, cts.Token))
        {
            seen.Add(Encoding.ASCII.GetString(msg.Data.Span));
            await msg.AckAsync();
            if (seen.Count == 50 && !restarted)
            {
                restarted = true;
                await conn.FlushAsync();
                server.Kill();
                await server.StartAgainAsync();
                await reconnected.WaitAsync(TestHelpers.Wait);
                for (var i = 100; i < 150; i++) await js.PublishAsync("ct.raw.a", Encoding.ASCII.GetBytes("e" + i), new NatsJSPubOpts { MsgId = "a:" + i });
            }
            if (seen.Count == 150) break;
        }
        Assert.True(restarted);
        Assert.Equal(Enumerable.Range(0, 150).Select(i => "e" + i).Order(), seen.Order());
    }
}
