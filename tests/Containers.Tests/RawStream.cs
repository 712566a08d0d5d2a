using Certstream.Contracts;
using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;

namespace Certstream.Containers.Tests;

/// <summary>What <c>CT_RAW</c> holds for a log: the index of every message, read with an ephemeral consumer.</summary>
internal static class RawStream
{
    public static async Task<List<ulong>> IndexesAsync(INatsJSContext js, string logKey, CancellationToken cancellationToken)
    {
        var name = "verify_" + Guid.NewGuid().ToString("N")[..8];
        var consumer = await js.CreateOrUpdateConsumerAsync(JetStreamNames.RawStream,
            new ConsumerConfig(name) { AckPolicy = ConsumerConfigAckPolicy.None, FilterSubject = Subjects.Raw(logKey) }, cancellationToken);
        var expected = consumer.Info.NumPending;
        var indexes = new List<ulong>();
        try
        {
            while ((ulong)indexes.Count < expected)
            {
                await foreach (var msg in consumer.FetchAsync<byte[]>(new NatsJSFetchOpts { MaxMsgs = 1000, Expires = TimeSpan.FromSeconds(1) }, cancellationToken: cancellationToken))
                {
                    Assert.True(RawEntryCodec.TryRead(msg.Data.AsMemory(), out var entry, out var error), $"undecodable message on {msg.Subject}: {error}");
                    indexes.Add(entry.Index);
                }
            }
        }
        finally
        {
            await js.DeleteConsumerAsync(JetStreamNames.RawStream, name, cancellationToken);
        }
        return indexes;
    }
}
