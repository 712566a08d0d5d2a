using Certstream.Nats.JetStream;
using Certstream.Nats.KeyValue;
using Certstream.TestSupport;
using static Certstream.Nats.Tests.TestHelpers;

namespace Certstream.Nats.Tests;

public sealed class KeyValueTests(NatsServerFixture nats) : IClassFixture<NatsServerFixture>
{
    private async Task<(NatsConnection Conn, NatsKVStore Kv)> BucketAsync(int history = 5, TimeSpan maxAge = default)
    {
        var conn = await ConnectAsync(nats.Url);
        var js = new NatsJSContext(conn);
        var kv = await NatsKVStore.CreateAsync(js, new NatsKVConfig { Bucket = "B" + Guid.NewGuid().ToString("N")[..8], History = history, MaxAge = maxAge, Storage = NatsJSStorage.Memory });
        return (conn, kv);
    }

    [Fact]
    public async Task Put_then_get_returns_the_value_and_revision()
    {
        var (conn, kv) = await BucketAsync();
        await using var _c = conn;
        var r1 = await kv.PutAsync("cfg.a", Bytes("one"));
        var r2 = await kv.PutAsync("cfg.a", Bytes("two"));
        Assert.True(r2 > r1);
        var entry = await kv.GetEntryAsync("cfg.a");
        Assert.NotNull(entry);
        Assert.Equal("two", System.Text.Encoding.UTF8.GetString(entry!.Value.Span));
        Assert.Equal(r2, entry.Revision);
        Assert.Equal(NatsKVOperation.Put, entry.Operation);
        Assert.True(entry.Created > DateTimeOffset.UtcNow.AddMinutes(-1));
        Assert.Null(await kv.GetEntryAsync("cfg.missing"));
        var bound = await NatsKVStore.GetAsync(new NatsJSContext(conn), kv.Bucket);
        Assert.Equal(r2, (await bound.GetEntryAsync("cfg.a"))!.Revision);
    }

    [Fact]
    public async Task Create_only_succeeds_for_an_absent_key_and_update_is_compare_and_set()
    {
        var (conn, kv) = await BucketAsync();
        await using var _c = conn;
        var rev = await kv.CreateAsync("leader", Bytes("node-1"));
        await Assert.ThrowsAsync<NatsKVWrongRevisionException>(() => kv.CreateAsync("leader", Bytes("node-2")));
        var renewed = await kv.UpdateAsync("leader", Bytes("node-1"), rev);
        await Assert.ThrowsAsync<NatsKVWrongRevisionException>(() => kv.UpdateAsync("leader", Bytes("node-2"), rev)); // stale revision
        Assert.Equal(renewed, (await kv.GetEntryAsync("leader"))!.Revision);
    }

    [Fact]
    public async Task Delete_and_purge_hide_the_key_and_create_works_again_after_them()
    {
        var (conn, kv) = await BucketAsync();
        await using var _c = conn;
        var rev = await kv.PutAsync("k", Bytes("v"));
        await Assert.ThrowsAsync<NatsKVWrongRevisionException>(() => kv.DeleteAsync("k", revision: rev + 10));
        await kv.DeleteAsync("k", revision: rev);
        Assert.Null(await kv.GetEntryAsync("k"));
        var again = await kv.CreateAsync("k", Bytes("back"));
        Assert.Equal("back", System.Text.Encoding.UTF8.GetString((await kv.GetEntryAsync("k"))!.Value.Span));
        await kv.PurgeAsync("k");
        Assert.Null(await kv.GetEntryAsync("k"));
        Assert.True(await kv.CreateAsync("k", Bytes("third")) > again);
    }

    [Fact]
    public async Task Keys_lists_live_keys_and_history_lists_revisions_with_markers()
    {
        var (conn, kv) = await BucketAsync(history: 5);
        await using var _c = conn;
        Assert.Empty(await kv.GetKeysAsync());
        await kv.PutAsync("a", Bytes("1"));
        await kv.PutAsync("b", Bytes("2"));
        await kv.PutAsync("c.d", Bytes("3"));
        await kv.PutAsync("a", Bytes("4"));
        await kv.DeleteAsync("b");
        Assert.Equal(["a", "c.d"], (await kv.GetKeysAsync()).Order());
        var history = await kv.GetHistoryAsync("a");
        Assert.Equal(["1", "4"], history.Select(e => System.Text.Encoding.UTF8.GetString(e.Value.Span)));
        Assert.True(history[0].Revision < history[1].Revision);
        var b = await kv.GetHistoryAsync("b");
        Assert.Equal([NatsKVOperation.Put, NatsKVOperation.Delete], b.Select(e => e.Operation));
        Assert.Empty(await kv.GetHistoryAsync("never"));
    }

    [Fact]
    public async Task Watch_delivers_current_values_then_changes_and_deletes()
    {
        var (conn, kv) = await BucketAsync();
        await using var _c = conn;
        await kv.PutAsync("w.1", Bytes("initial"));
        await kv.PutAsync("other", Bytes("not watched"));
        using var cts = new CancellationTokenSource(Wait);
        await using var watch = kv.WatchAsync("w.*", cts.Token).GetAsyncEnumerator(cts.Token);
        Assert.True(await watch.MoveNextAsync());
        Assert.Equal(("w.1", "initial", NatsKVOperation.Put), (watch.Current.Key, System.Text.Encoding.UTF8.GetString(watch.Current.Value.Span), watch.Current.Operation));
        var rev = await kv.PutAsync("w.2", Bytes("later"));
        Assert.True(await watch.MoveNextAsync());
        Assert.Equal(("w.2", rev), (watch.Current.Key, watch.Current.Revision));
        await kv.DeleteAsync("w.1");
        Assert.True(await watch.MoveNextAsync());
        Assert.Equal(("w.1", NatsKVOperation.Delete), (watch.Current.Key, watch.Current.Operation));
    }

    [Fact]
    public async Task Keys_and_buckets_are_validated()
    {
        var (conn, kv) = await BucketAsync();
        await using var _c = conn;
        await Assert.ThrowsAsync<ArgumentException>(() => kv.PutAsync(".lead", Bytes("x")));
        await Assert.ThrowsAsync<ArgumentException>(() => kv.PutAsync("has space", Bytes("x")));
        await Assert.ThrowsAsync<ArgumentException>(() => kv.PutAsync("wild*", Bytes("x")));
        await Assert.ThrowsAsync<ArgumentException>(() => NatsKVStore.CreateAsync(new NatsJSContext(conn), new NatsKVConfig { Bucket = "bad.name" }));
        var missing = await Assert.ThrowsAsync<NatsJSApiException>(() => NatsKVStore.GetAsync(new NatsJSContext(conn), "NoSuchBucket"));
        Assert.Equal(10059, missing.ErrCode);
    }
}
