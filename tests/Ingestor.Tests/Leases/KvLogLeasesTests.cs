using System.Text;
using Certstream.Contracts;
using Certstream.Ingestor.Leases;
using Certstream.Ingestor.Tests.Support;
using Certstream.TestSupport;
using NATS.Client.Core;
using NATS.Client.JetStream;
using NATS.Client.KeyValueStore;

namespace Certstream.Ingestor.Tests.Leases;

public sealed class KvLogLeasesTests(NatsServerFixture nats) : IClassFixture<NatsServerFixture>, IAsyncLifetime
{
    private static readonly TimeSpan Ttl = IngestorInstance.LeaseTtl;
    private NatsConnection _connection = null!;
    private INatsKVStore _bucket = null!;

    public async Task InitializeAsync()
    {
        _connection = await NatsClients.ConnectAsync(nats.Url);
        _bucket = await new NatsKVContext(new NatsJSContext(_connection)).CreateOrUpdateStoreAsync(JetStreamConfigs.LeasesBucket(Ttl));
    }

    public async Task DisposeAsync() => await _connection.DisposeAsync();

    private KvLogLeases Instance(string id) => new(_bucket, id, Ttl, new CapturingLoggerFactory());

    private static string NewKey() => "log_" + Guid.NewGuid().ToString("N")[..8];

    private async Task<byte[]> ValueAsync(string key) => (await _bucket.GetEntryAsync<byte[]>(key)).Value!;

    [Fact]
    public async Task A_held_lease_makes_another_instance_wait_and_is_renewed_past_its_TTL_then_released_to_it()
    {
        var key = NewKey();
        var a = Instance("a");
        var b = Instance("b");
        var leaseA = await a.AcquireAsync(key, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5));
        var waiting = b.AcquireAsync(key, CancellationToken.None);

        // Twice the TTL: without renewals the key would have aged out and b would have won.
        var outcome = await Task.WhenAny(waiting, Task.Delay(2 * Ttl));
        Assert.NotSame(waiting, outcome);
        Assert.False(leaseA.Lost.IsCancellationRequested);
        Assert.Equal("a", Encoding.UTF8.GetString(await ValueAsync(key)));

        await leaseA.DisposeAsync(); // conditional delete: b need not wait for the TTL
        await using var leaseB = await waiting.WaitAsync(Ttl);
        Assert.Equal("b", Encoding.UTF8.GetString(await ValueAsync(key)));
        Assert.Equal([key], b.Held);
        Assert.Empty(a.Held);
    }

    [Fact]
    public async Task A_lease_is_released_even_when_a_renewal_it_never_heard_back_from_was_applied()
    {
        var key = NewKey();
        var lease = await Instance("a").AcquireAsync(key, CancellationToken.None);
        // What a renewal cancelled in flight by DisposeAsync can leave: the server moved the revision, the lease never saw it.
        await _bucket.PutAsync(key, "a"u8.ToArray());
        await lease.DisposeAsync();
        await using var taken = await Instance("b").AcquireAsync(key, CancellationToken.None).WaitAsync(Ttl / 2);
        Assert.Equal("b", Encoding.UTF8.GetString(await ValueAsync(key)));
    }

    [Fact]
    public async Task A_lease_whose_renewal_loses_the_race_is_lost_at_once()
    {
        var key = NewKey();
        var a = Instance("a");
        var lease = await a.AcquireAsync(key, CancellationToken.None);
        var lost = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lease.Lost.Register(() => lost.TrySetResult());

        await _bucket.PutAsync(key, "intruder"u8.ToArray()); // someone else wrote the key: a's CAS renewal must fail
        await lost.Task.WaitAsync(Ttl);
        Assert.Empty(a.Held);
        await lease.DisposeAsync();
        // A lost lease is not "released": the other holder's value stays.
        Assert.Equal("intruder", Encoding.UTF8.GetString(await ValueAsync(key)));
    }

    [Fact]
    public async Task The_lease_of_a_dead_holder_is_taken_after_its_TTL()
    {
        var key = NewKey();
        await _bucket.CreateAsync(key, "dead"u8.ToArray()); // a holder that never renews
        var started = DateTime.UtcNow;
        await using var lease = await Instance("b").AcquireAsync(key, CancellationToken.None).WaitAsync(3 * Ttl);
        Assert.True(DateTime.UtcNow - started >= Ttl * 0.8, "not before the dead holder's TTL ran out");
    }

    [Fact]
    public async Task An_instance_takes_back_a_lease_that_still_holds_its_own_id_without_waiting()
    {
        var key = NewKey();
        await _bucket.CreateAsync(key, "same-host"u8.ToArray()); // left by this instance's previous process
        await using var lease = await Instance("same-host").AcquireAsync(key, CancellationToken.None).WaitAsync(Ttl / 2);
        Assert.False(lease.Lost.IsCancellationRequested);
    }
}
