using Certstream.Contracts;
using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;
using NATS.Client.KeyValueStore;

namespace Certstream.Ingestor.Tests.Support;

/// <summary>Reads back what the ingestor stored: every <c>CT_RAW</c> message of a log, and its KV checkpoint.</summary>
internal static class RawStreamReader
{
    internal sealed record Stored(RawEntry Entry, string? MsgId, string Subject);

    /// <summary>Every message on <c>ct.raw.&lt;log&gt;</c> now, in stream order, decoded with <see cref="RawEntryCodec"/>.</summary>
    public static async Task<List<Stored>> ReadAsync(INatsJSContext js, string logKey)
    {
        var name = "verify_" + Guid.NewGuid().ToString("N")[..8];
        var consumer = await js.CreateOrUpdateConsumerAsync(JetStreamNames.RawStream,
            new ConsumerConfig(name) { AckPolicy = ConsumerConfigAckPolicy.None, FilterSubject = Subjects.Raw(logKey) });
        var expected = consumer.Info.NumPending;
        var stored = new List<Stored>();
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            while ((ulong)stored.Count < expected)
            {
                await foreach (var msg in consumer.FetchAsync<byte[]>(new NatsJSFetchOpts { MaxMsgs = 1000, Expires = TimeSpan.FromSeconds(1) }, cancellationToken: timeout.Token))
                {
                    Assert.True(RawEntryCodec.TryRead(msg.Data.AsMemory(), out var entry, out var error), $"undecodable message on {msg.Subject}: {error}");
                    var msgId = msg.Headers is { } headers && headers.TryGetValue(MessageHeaders.MessageId, out var id) ? id.ToString() : null;
                    stored.Add(new Stored(entry, msgId, msg.Subject));
                }
            }
        }
        finally
        {
            await js.DeleteConsumerAsync(JetStreamNames.RawStream, name);
        }
        return stored;
    }

    public static async Task<Checkpoint?> CheckpointAsync(INatsKVStore checkpoints, string logKey)
    {
        var entry = await checkpoints.TryGetEntryAsync<byte[]>(logKey);
        return entry.Success && entry.Value.Value is { } value && Checkpoint.TryParse(value, out var checkpoint) ? checkpoint : null;
    }

    /// <summary>Polls the KV checkpoint (bounded) until it reaches <paramref name="nextIndex"/>; returns it.</summary>
    public static async Task<Checkpoint> WaitForCheckpointAsync(INatsKVStore checkpoints, string logKey, ulong nextIndex, TimeSpan patience)
    {
        var deadline = DateTime.UtcNow + patience;
        while (true)
        {
            var checkpoint = await CheckpointAsync(checkpoints, logKey);
            if (checkpoint is not null && checkpoint.NextIndex >= nextIndex) return checkpoint;
            if (DateTime.UtcNow > deadline)
                throw new TimeoutException($"checkpoint of {logKey} is {checkpoint?.NextIndex.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "absent"}, not {nextIndex}, after {patience}");
            await Task.Delay(50);
        }
    }

    public static void AssertEveryIndexOnce(List<Stored> stored, string key, ulong size)
    {
        Assert.Equal(size, (ulong)stored.Count);
        Assert.Equal(Enumerable.Range(0, (int)size).Select(i => (ulong)i), stored.Select(s => s.Entry.Index).Order());
        foreach (var s in stored)
        {
            Assert.Equal(MessageHeaders.MessageIdFor(key, s.Entry.Index), s.MsgId);
            Assert.Equal(Subjects.Raw(key), s.Subject);
            Assert.Equal(key, s.Entry.Log);
        }
    }

    public static async Task<INatsKVStore> WaitForBucketAsync(INatsJSContext js)
    {
        var kv = new NatsKVContext(js);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (true)
        {
            try
            {
                return await kv.GetStoreAsync(JetStreamNames.CheckpointsBucket);
            }
            catch (NatsJSException) when (DateTime.UtcNow < deadline)
            {
                // Not created yet by the ingestor: poll (bounded).
                await Task.Delay(50);
            }
        }
    }
}
