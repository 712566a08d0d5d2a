using Certstream.Contracts;
using Certstream.Hosting.Configuration;
using Certstream.Parser.Pipeline;
using Certstream.TestSupport;
using NATS.Client.Core;
using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;

namespace Certstream.Parser.Tests.Service;

/// <summary>
/// A real nats-server of its own (CT_RAW and the parser consumer have fixed names, so tests cannot share one), with
/// CT_RAW created as the contract defines it, and a client connection for publishing raw entries and watching outputs.
/// </summary>
internal sealed class ParserTestBed : IAsyncDisposable
{
    public static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    // JetStream API error code of a missing consumer (nats-server errors.json).
    private const int ConsumerNotFound = 10014;

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
        var connection = await NatsClients.ConnectAsync(server.Url, "parser-test");
        var bed = new ParserTestBed(server, connection);
        await bed.Js.CreateStreamAsync(JetStreamConfigs.RawStream(TimeSpan.FromHours(24)));
        return bed;
    }

    public CertstreamConfig Config(int concurrency, int fetchBatch, int metricsPort = 0) => new()
    {
        Nats = new NatsOptions { Url = Server.Url },
        Parser = new ParserOptions { Concurrency = concurrency, FetchBatch = fetchBatch, MetricsPort = metricsPort },
    };

    /// <summary>An in-process parser, composed as its Program.cs composes it; start it with <see cref="ParserInstance.StartAsync"/>.</summary>
    public ParserInstance CreateService(int concurrency, int fetchBatch) =>
        new(Config(concurrency, fetchBatch), new ParserTuning { PendingRefresh = TimeSpan.FromMilliseconds(200) });

    public Task PublishEntriesAsync(IReadOnlyList<RawEntry> entries) =>
        PublishRawAsync(entries.Select(e => (Subjects.Raw(e.Log), ServiceEntries.Encode(e), (string?)MessageHeaders.MessageIdFor(e.Log, e.Index))).ToList());

    /// <summary>Publishes into CT_RAW and returns once the stream holds all of them.</summary>
    public async Task PublishRawAsync(IReadOnlyList<(string Subject, byte[] Data, string? MessageId)> messages)
    {
        var before = (await Js.GetStreamAsync(JetStreamNames.RawStream)).Info.State.Messages;
        foreach (var (subject, data, id) in messages)
        {
            var headers = id is null ? null : new NatsHeaders { [MessageHeaders.MessageId] = id };
            await Connection.PublishAsync(subject, data, headers);
        }
        await Connection.PingAsync();
        var expected = before + messages.Count;
        await PollAsync(async () => (await Js.GetStreamAsync(JetStreamNames.RawStream)).Info.State.Messages >= expected, $"CT_RAW to hold {expected} messages");
    }

    /// <summary>Takes every pending entry from the parser consumer once and naks it: the parser then gets them as redeliveries.</summary>
    public async Task DeliverOnceAndNakAsync()
    {
        var consumer = await Js.CreateOrUpdateConsumerAsync(JetStreamNames.RawStream, RawTopology.Consumer());
        await foreach (var msg in consumer.FetchNoWaitAsync<byte[]>(new NatsJSFetchOpts { MaxMsgs = 1000 }))
            await msg.NakAsync();
        await Connection.PingAsync();
    }

    public async ValueTask<ConsumerInfo> ConsumerAsync() => (await Js.GetConsumerAsync(JetStreamNames.RawStream, JetStreamNames.ParserConsumer)).Info;

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
            catch (NatsJSApiException e) when (e.Error.ErrCode == ConsumerNotFound)
            {
                return false;
            }
            return condition(last);
        }, what, timeout, () => last is null ? "no consumer" : Describe(last));
        return last!;
    }

    public static string Describe(ConsumerInfo c) =>
        $"delivered {c.Delivered.StreamSeq}, ack floor {c.AckFloor.StreamSeq}, ack pending {c.NumAckPending}, pending {c.NumPending}, redelivered {c.NumRedelivered}";

    /// <summary>The stream sequence of a <c>$JS.ACK.&lt;stream&gt;.&lt;consumer&gt;.&lt;delivered&gt;.&lt;stream seq&gt;.…</c> subject (nats-server 2.9's form).</summary>
    public static ulong AckedStreamSequence(string ackSubject) =>
        ulong.Parse(ackSubject.Split('.')[5], System.Globalization.CultureInfo.InvariantCulture);

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
