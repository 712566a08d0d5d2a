using Certstream.Contracts;
using Certstream.Hosting.Configuration;
using Certstream.Nats;
using Certstream.Nats.JetStream;
using Certstream.Nats.JetStream.Models;
using Certstream.Parser.Pipeline;
using Certstream.TestSupport;

namespace Certstream.Parser.Tests.Service;

/// <summary>
/// A real nats-server of its own (CT_RAW and the parser consumer have fixed names, so tests cannot share one), with
/// CT_RAW created as the ingestor makes it, and a client connection for publishing raw entries and watching outputs.
/// </summary>
internal sealed class ParserTestBed : IAsyncDisposable
{
    public static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    private ParserTestBed(NatsServer server, NatsConnection connection)
    {
        Server = server;
        Connection = connection;
        Js = new NatsJSContext(connection);
    }

    public NatsServer Server { get; }

    public NatsConnection Connection { get; }

    public NatsJSContext Js { get; }

    public static async Task<ParserTestBed> StartAsync()
    {
        var server = await NatsServer.StartAsync();
        var connection = new NatsConnection(new NatsOpts { Url = server.Url, Name = "parser-test" });
        await connection.ConnectAsync();
        var bed = new ParserTestBed(server, connection);
        await bed.Js.CreateStreamAsync(RawTopology.Stream(TimeSpan.FromHours(24)));
        return bed;
    }

    public CertstreamConfig Config(int concurrency, int fetchBatch, int metricsPort = 9102) => new()
    {
        Nats = new NatsOptions { Url = Server.Url },
        Parser = new ParserOptions { Concurrency = concurrency, FetchBatch = fetchBatch, MetricsPort = metricsPort },
    };

    /// <summary>An in-process parser (the hosted services without the web host).</summary>
    public ParserHost CreateService(int concurrency, int fetchBatch) =>
        new(Config(concurrency, fetchBatch), new ParserMetrics(), TimeSpan.FromMilliseconds(200));

    public Task PublishEntriesAsync(IReadOnlyList<RawEntry> entries) =>
        PublishRawAsync(entries.Select(e => (Subjects.Raw(e.Log), ServiceEntries.Encode(e), (string?)MessageHeaders.MessageIdFor(e.Log, e.Index))).ToList());

    /// <summary>Publishes into CT_RAW and returns once the stream holds all of them.</summary>
    public async Task PublishRawAsync(IReadOnlyList<(string Subject, byte[] Data, string? MessageId)> messages)
    {
        var before = (await Js.GetStreamAsync(JetStreamNames.RawStream)).State.Messages;
        foreach (var (subject, data, id) in messages)
        {
            var headers = id is null ? null : new NatsHeaders { [MessageHeaders.MessageId] = id };
            await Connection.PublishAsync(subject, data, headers);
        }
        await Connection.FlushAsync();
        var expected = before + (ulong)messages.Count;
        await PollAsync(async () => (await Js.GetStreamAsync(JetStreamNames.RawStream)).State.Messages >= expected, $"CT_RAW to hold {expected} messages");
    }

    public ValueTask<ConsumerInfo> ConsumerAsync() => Js.GetConsumerInfoAsync(JetStreamNames.RawStream, JetStreamNames.ParserConsumer);

    /// <summary>Bounded polling of consumer info until <paramref name="condition"/> holds.</summary>
    public async Task<ConsumerInfo> WaitForConsumerAsync(Func<ConsumerInfo, bool> condition, string what, TimeSpan? timeout = null)
    {
        ConsumerInfo? last = null;
        await PollAsync(async () =>
        {
            try
            {
                last = await ConsumerAsync();
            }
            catch (NatsJSApiException e) when (e.ErrCode == NatsJSErrorCodes.ConsumerNotFound)
            {
                return false;
            }
            return condition(last);
        }, what, timeout, () => last is null ? "no consumer" : Describe(last));
        return last!;
    }

    public static string Describe(ConsumerInfo c) =>
        $"delivered {c.Delivered.StreamSeq}, ack floor {c.AckFloor.StreamSeq}, ack pending {c.NumAckPending}, pending {c.NumPending}, redelivered {c.NumRedelivered}";

    public async ValueTask DisposeAsync()
    {
        await Connection.DisposeAsync();
        await Server.DisposeAsync();
    }

    /// <summary>Polls a condition every 50 ms (bounded; not a sleep standing in for synchronization).</summary>
    public static async Task PollAsync(Func<Task<bool>> condition, string what, TimeSpan? timeout = null, Func<string>? state = null)
    {
        var limit = timeout ?? Wait;
        var deadline = DateTime.UtcNow + limit;
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"{what}: not within {limit}{(state is null ? "" : " (" + state() + ")")}");
            await Task.Delay(50);
        }
    }
}
