using System.Text;
using Certstream.Nats.JetStream;
using Certstream.Nats.JetStream.Models;
using Certstream.Nats.KeyValue;
using Certstream.TestSupport;
using static Certstream.Nats.Tests.JetStream.JSTestHelpers;

namespace Certstream.Nats.Tests.KeyValue;

public sealed class KeyValueTests(NatsServerFixture nats) : IClassFixture<NatsServerFixture>
{
    private static string Text(NatsKVEntry e) => Encoding.UTF8.GetString(e.Value.Span);

    private async Task<(NatsConnection Conn, NatsJSContext Js, NatsKVStore Kv)> BucketAsync(Func<NatsKVConfig, NatsKVConfig>? configure = null)
    {
        var (conn, js) = await ConnectJsAsync(nats.Url);
        var config = new NatsKVConfig(UniqueName("ct_checkpoints")) { Storage = StreamStorage.Memory };
        if (configure is not null) config = configure(config);
        return (conn, js, await js.CreateKeyValueAsync(config));
    }

    [Fact]
    public async Task A_bucket_is_the_stream_nats_go_makes_and_ensure_is_idempotent()
    {
        var (conn, js, kv) = await BucketAsync(c => c with { History = 5, MaxAge = TimeSpan.FromMinutes(1) });
        await using var _ = conn;
        var info = await js.GetStreamAsync("KV_" + kv.Bucket);
        Assert.Equal(["$KV." + kv.Bucket + ".>"], info.Config.Subjects);
        Assert.Equal(5, info.Config.MaxMsgsPerSubject);
        Assert.Equal(TimeSpan.FromMinutes(1), info.Config.MaxAge);
        Assert.Equal(TimeSpan.FromMinutes(1), info.Config.DuplicateWindow);
        Assert.Equal(StreamDiscard.New, info.Config.Discard);
        Assert.True(info.Config.AllowRollupHeaders);
        Assert.True(info.Config.DenyDelete);
        Assert.True(info.Config.AllowDirect);

        var same = new NatsKVConfig(kv.Bucket) { Storage = StreamStorage.Memory, History = 5, MaxAge = TimeSpan.FromMinutes(1) };
        await js.EnsureKeyValueAsync(same);
        await js.EnsureKeyValueAsync(same with { History = 2 });
        Assert.Equal(2, (await js.GetStreamAsync("KV_" + kv.Bucket)).Config.MaxMsgsPerSubject);
        Assert.Equal(kv.Bucket, (await js.GetKeyValueAsync(kv.Bucket)).Bucket);
        Assert.True(await js.DeleteKeyValueAsync(kv.Bucket));
    }

    [Fact]
    public async Task Put_then_get_returns_the_value_revision_and_creation_time()
    {
        var (conn, _, kv) = await BucketAsync();
        await using var _ = conn;
        Assert.Null(await kv.GetAsync("ct_googleapis_com_logs_argon2026h1"));
        var rev1 = await kv.PutAsync("ct_googleapis_com_logs_argon2026h1", Encoding.UTF8.GetBytes("{\"next_index\":1}"));
        var rev2 = await kv.PutAsync("ct_googleapis_com_logs_argon2026h1", Encoding.UTF8.GetBytes("{\"next_index\":2}"));
        Assert.True(rev2 > rev1);
        var entry = (await kv.GetAsync("ct_googleapis_com_logs_argon2026h1"))!;
        Assert.Equal("{\"next_index\":2}", Text(entry));
        Assert.Equal(rev2, entry.Revision);
        Assert.Equal(NatsKVOperation.Put, entry.Operation);
        Assert.Equal(kv.Bucket, entry.Bucket);
        Assert.InRange(entry.Created, DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddMinutes(1));
    }

    [Fact]
    public async Task Create_succeeds_once_and_again_after_delete_or_purge()
    {
        var (conn, _, kv) = await BucketAsync();
        await using var _ = conn;
        var rev = await kv.CreateAsync("lease", Encoding.UTF8.GetBytes("a"));
        var taken = await Assert.ThrowsAsync<NatsKVWrongLastRevisionException>(async () => await kv.CreateAsync("lease", Encoding.UTF8.GetBytes("b")));
        Assert.Equal(NatsJSErrorCodes.WrongLastSequence, taken.ErrCode);
        Assert.Null(await kv.TryCreateAsync("lease", Encoding.UTF8.GetBytes("b")));
        Assert.Equal("a", Text((await kv.GetAsync("lease"))!));

        await kv.DeleteAsync("lease");
        Assert.Null(await kv.GetAsync("lease"));
        var afterDelete = await kv.CreateAsync("lease", Encoding.UTF8.GetBytes("c")); // over the DEL marker (§4)
        Assert.True(afterDelete > rev);
        Assert.Equal("c", Text((await kv.GetAsync("lease"))!));

        await kv.PurgeAsync("lease");
        Assert.Null(await kv.GetAsync("lease"));
        await kv.CreateAsync("lease", Encoding.UTF8.GetBytes("d"));
        Assert.Equal("d", Text((await kv.GetAsync("lease"))!));
    }

    [Fact]
    public async Task Update_is_compare_and_set_on_the_revision()
    {
        var (conn, _, kv) = await BucketAsync();
        await using var _ = conn;
        var rev1 = await kv.PutAsync("k", Encoding.UTF8.GetBytes("1"));
        var rev2 = await kv.UpdateAsync("k", Encoding.UTF8.GetBytes("2"), rev1);
        var stale = await Assert.ThrowsAsync<NatsKVWrongLastRevisionException>(async () => await kv.UpdateAsync("k", Encoding.UTF8.GetBytes("3"), rev1));
        Assert.Equal(NatsJSErrorCodes.WrongLastSequence, stale.ErrCode);
        Assert.Null(await kv.TryUpdateAsync("k", Encoding.UTF8.GetBytes("3"), rev1));
        Assert.Equal("2", Text((await kv.GetAsync("k"))!));
        Assert.Equal(rev2, (await kv.GetAsync("k"))!.Revision);

        // A conditional delete with a stale revision fails too; with the current one it goes through.
        await Assert.ThrowsAsync<NatsKVWrongLastRevisionException>(async () => await kv.DeleteAsync("k", rev1));
        await kv.DeleteAsync("k", rev2);
        Assert.Null(await kv.GetAsync("k"));
    }

    [Fact]
    public async Task A_value_ages_out_after_the_bucket_max_age_and_the_key_can_be_created_again()
    {
        var (conn, _, kv) = await BucketAsync(c => c with { MaxAge = TimeSpan.FromSeconds(1) });
        await using var _ = conn;
        await kv.CreateAsync("lease", Encoding.UTF8.GetBytes("holder-1"));
        Assert.NotNull(await kv.GetAsync("lease"));
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        NatsKVEntry? entry;
        // 2.9 sends no event on expiry (§4): poll, bounded.
        while ((entry = await kv.GetAsync("lease")) is not null && DateTime.UtcNow < deadline) await Task.Delay(100);
        Assert.Null(entry);
        await kv.CreateAsync("lease", Encoding.UTF8.GetBytes("holder-2"));
        Assert.Equal("holder-2", Text((await kv.GetAsync("lease"))!));
    }

    [Fact]
    public async Task Of_two_lease_candidates_one_wins_and_a_renewal_with_a_stale_revision_fails()
    {
        var (conn, _, kv) = await BucketAsync(c => c with { Bucket = UniqueName("ct_leases"), MaxAge = TimeSpan.FromSeconds(30) });
        await using var _ = conn;
        await using var conn2 = await TestHelpers.ConnectAsync(nats.Url);
        var kv2 = await new NatsJSContext(conn2).GetKeyValueAsync(kv.Bucket);

        var results = await Task.WhenAll(kv.TryCreateAsync("log_a", Encoding.UTF8.GetBytes("ingestor-1")).AsTask(),
            kv2.TryCreateAsync("log_a", Encoding.UTF8.GetBytes("ingestor-2")).AsTask());
        Assert.Single(results, r => r is not null);
        var winner = results[0] is not null ? kv : kv2;
        var loser = results[0] is not null ? kv2 : kv;
        var revision = results.Single(r => r is not null)!.Value;

        var renewed = await winner.UpdateAsync("log_a", Encoding.UTF8.GetBytes("renew"), revision);
        Assert.True(renewed > revision);
        // The old revision no longer fences: whoever holds it has lost the lease.
        Assert.Null(await loser.TryUpdateAsync("log_a", Encoding.UTF8.GetBytes("steal"), revision));
        Assert.Null(await winner.TryUpdateAsync("log_a", Encoding.UTF8.GetBytes("again"), revision));
        Assert.Equal(renewed, (await loser.GetAsync("log_a"))!.Revision);
    }

    [Fact]
    public async Task A_bucket_without_direct_get_is_read_through_the_stream_leader()
    {
        var (conn, js) = await ConnectJsAsync(nats.Url);
        await using var _ = conn;
        var bucket = UniqueName("nodirect");
        await js.CreateStreamAsync(new StreamConfig("KV_" + bucket, "$KV." + bucket + ".>") { Storage = StreamStorage.Memory, MaxMsgsPerSubject = 1, AllowRollupHeaders = true, Discard = StreamDiscard.New });
        var kv = await js.GetKeyValueAsync(bucket);
        Assert.Null(await kv.GetAsync("k"));
        var rev = await kv.PutAsync("k", Encoding.UTF8.GetBytes("v"));
        var entry = (await kv.GetAsync("k"))!;
        Assert.Equal(("v", rev), (Text(entry), entry.Revision));
        await kv.DeleteAsync("k");
        Assert.Null(await kv.GetAsync("k"));
    }

    [Theory]
    [InlineData("a.b", true)]
    [InlineData("ct.googleapis.com/logs=1_x-y", true)]
    [InlineData(".a", false)]
    [InlineData("a.", false)]
    [InlineData("a b", false)]
    [InlineData("a*", false)]
    [InlineData("a>", false)]
    [InlineData("", false)]
    public void Keys_are_validated_as_ADR_8_says(string key, bool valid) => Assert.Equal(valid, NatsKVStore.IsValidKey(key));

    [Fact]
    public async Task Invalid_keys_and_bucket_names_are_refused_before_reaching_the_server()
    {
        var (conn, js, kv) = await BucketAsync();
        await using var _ = conn;
        await Assert.ThrowsAsync<ArgumentException>(async () => await kv.PutAsync("bad key", Encoding.UTF8.GetBytes("x")));
        await Assert.ThrowsAsync<ArgumentException>(async () => await js.CreateKeyValueAsync(new NatsKVConfig("bad.bucket")));
    }
}
