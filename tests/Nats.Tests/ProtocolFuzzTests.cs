using System.IO.Pipelines;
using System.Text;

namespace Certstream.Nats.Tests;

/// <summary>
/// Random and mutated server byte streams through the connection's real read loop (parser, header and INFO parsing,
/// dispatch into subscriptions). Every stream must end cleanly or with <see cref="NatsProtocolException"/>, quickly.
/// </summary>
public sealed class ProtocolFuzzTests
{
    private static readonly string[] ValidOps =
    [
        "INFO {\"server_id\":\"X\",\"version\":\"2.9.10\",\"proto\":1,\"headers\":true,\"max_payload\":1048576,\"connect_urls\":[\"127.0.0.1:4222\"]}\r\n",
        "INFO {\"server_id\":\"X\",\"ldm\":true,\"max_payload\":4096}\r\n",
        "PING\r\n", "PONG\r\n", "+OK\r\n", "-ERR 'Invalid Subject'\r\n", "-ERR 'Permissions Violation for Publish to \"a\"'\r\n",
        "MSG orders.1 1 5\r\nhello\r\n",
        "MSG orders.1 2 $JS.ACK.ORDERS.worker.1.1.1.1795318545180661277.2 3\r\nabc\r\n",
        "MSG _INBOX.abc.7 3  28\r\n{\"stream\":\"ORDERS\", \"seq\":1}\r\n",
        "msg\tx.y\t1\t\t0\r\n\r\n",
        "HMSG _INBOX.abc.42 1 16 16\r\nNATS/1.0 503\r\n\r\n\r\n",
        "HMSG a.b 2 r.s 34 37\r\nNATS/1.0\r\nK: v1\r\nK: v2\r\nX-Y: z\r\n\r\nabc\r\n",
        "HMSG q 3 58 58\r\nNATS/1.0 408 Request Timeout\r\nNats-Pending-Messages: 1\r\n\r\n\r\n",
        "HMSG q 3 31 31\r\nNATS/1.0 100 Idle Heartbeat\r\n\r\n\r\n",
    ];

    [Fact]
    public async Task Ten_thousand_random_and_mutated_streams_never_crash_or_hang()
    {
        var stats = await FuzzAsync(seed: 20261122, streams: 10_000);
        Assert.True(stats.Clean > 100, $"some streams must parse cleanly: {stats}");
        Assert.True(stats.ProtocolErrors > 1000, $"mutations must be detected: {stats}");
    }

    /// <summary>Opt-in: <c>NATS_FUZZ=1 dotnet test tests/Nats.Tests --filter Category=Fuzz</c> (NATS_FUZZ_SEED to replay).</summary>
    [LongFuzzFact]
    [Trait("Category", "Fuzz")]
    public async Task Two_hundred_thousand_streams_with_a_fresh_seed_never_crash_or_hang()
    {
        var seed = int.TryParse(Environment.GetEnvironmentVariable("NATS_FUZZ_SEED"), out var s) ? s : Environment.TickCount;
        var stats = await FuzzAsync(seed, streams: 200_000);
        Assert.True(stats.Clean + stats.ProtocolErrors == 200_000, $"seed {seed}: {stats}");
    }

    private sealed record Stats(int Clean, int ProtocolErrors);

    private static async Task<Stats> FuzzAsync(int seed, int streams)
    {
        var random = new Random(seed);
        await using var conn = new NatsConnection(TestHelpers.Opts("nats://127.0.0.1:1"));
        // Real subscriptions on sids 1..3 with tiny queues, so dispatch and drop paths run too.
        await conn.SubscribeAsync("orders.>", opts: new NatsSubOpts { PendingMsgsLimit = 4 });
        await conn.SubscribeAsync("a.*", opts: new NatsSubOpts { PendingBytesLimit = 64, MaxMsgs = 1000 });
        await conn.SubscribeAsync("q", "g");
        int clean = 0, errors = 0;
        for (var n = 0; n < streams; n++)
        {
            var bytes = MakeStream(random);
            var pipe = new Pipe(new PipeOptions(pauseWriterThreshold: 0)); // never block the writer: the reader must stay bounded by itself
            var read = conn.ReadLoopAsync(pipe.Reader, CancellationToken.None);
            var offset = 0;
            while (offset < bytes.Length)
            {
                var size = Math.Min(bytes.Length - offset, 1 + random.Next(random.Next(2) == 0 ? 8 : 512));
                await pipe.Writer.WriteAsync(bytes.AsMemory(offset, size));
                offset += size;
                if (read.IsCompleted) break;
            }
            await pipe.Writer.CompleteAsync();
            try
            {
                await read.WaitAsync(TimeSpan.FromSeconds(5));
                clean++;
            }
            catch (NatsProtocolException)
            {
                errors++;
            }
            catch (TimeoutException)
            {
                Assert.Fail($"seed {seed} stream {n} hung: {Convert.ToBase64String(bytes)}");
            }
            catch (Exception e)
            {
                Assert.Fail($"seed {seed} stream {n} threw {e.GetType().Name}: {e.Message}\n{Convert.ToBase64String(bytes)}");
            }
            await pipe.Reader.CompleteAsync();
        }
        return new Stats(clean, errors);
    }

    private static byte[] MakeStream(Random random)
    {
        var kind = random.Next(10);
        if (kind == 0)
        {
            var noise = new byte[random.Next(1, 300)];
            random.NextBytes(noise);
            return noise;
        }
        var trace = new StringBuilder();
        var ops = random.Next(1, 12);
        for (var i = 0; i < ops; i++) trace.Append(ValidOps[random.Next(ValidOps.Length)]);
        var bytes = new List<byte>(Encoding.UTF8.GetBytes(trace.ToString()));
        if (kind <= 2) return [.. bytes]; // valid trace, only split differently
        var mutations = random.Next(1, 5);
        for (var m = 0; m < mutations && bytes.Count > 0; m++)
        {
            var at = random.Next(bytes.Count);
            switch (random.Next(7))
            {
                case 0: bytes[at] = (byte)random.Next(256); break;
                case 1: bytes.RemoveAt(at); break;
                case 2: bytes.Insert(at, (byte)random.Next(256)); break;
                case 3: bytes.Insert(at, (byte)" \r\n0123456789"[random.Next(13)]); break;
                case 4: bytes.RemoveRange(at, bytes.Count - at); break; // truncate
                case 5: bytes.InsertRange(at, Encoding.ASCII.GetBytes(random.Next(3) switch { 0 => "99999999999", 1 => "2147483647", _ => "-1" })); break;
                default: bytes.InsertRange(at, bytes.GetRange(0, Math.Min(at, 40))); break; // duplicate a prefix
            }
        }
        return [.. bytes];
    }
}

/// <summary>A fact that runs only when NATS_FUZZ is set, so the default suite stays fast.</summary>
internal sealed class LongFuzzFactAttribute : FactAttribute
{
    public LongFuzzFactAttribute()
    {
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NATS_FUZZ"))) Skip = "long fuzz run: set NATS_FUZZ=1";
    }
}
