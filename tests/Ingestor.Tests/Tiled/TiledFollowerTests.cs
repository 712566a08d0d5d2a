using System.Security.Cryptography;
using Certstream.Ingestor.Tests.Support;
using Certstream.TestSupport;

namespace Certstream.Ingestor.Tests.Tiled;

/// <summary>The static-ct follower against the real Navigli tiles served over HTTP.</summary>
public sealed class TiledFollowerTests : IAsyncLifetime
{
    private FakeCtLogServer _server = null!;

    public async Task InitializeAsync() => _server = await FakeCtLogServer.StartAsync();

    public async Task DisposeAsync() => await _server.DisposeAsync();

    /// <summary>Each published leaf must hash to the level-0 tile's hash at its index (the leaf is the right one).</summary>
    private static void AssertEachIndexOnceWithItsLeaf(RecordingPublisher publisher, string key, ulong from, ulong to)
    {
        var counts = publisher.CountsFor(key);
        Assert.Equal((int)(to - from), counts.Count);
        var hashTiles = Enumerable.Range(0, 4).Select(t => File.ReadAllBytes(RepoPaths.Fixture("static-ct", "navigli2025h2", "tile", "0", $"{t:000}"))).ToArray();
        for (var i = from; i < to; i++)
        {
            Assert.True(counts.TryGetValue(i, out var n) && n == 1, $"index {i} published {n} times");
            var leafHash = SHA256.HashData([0, .. publisher.LeafOf(key, i)]);
            var expected = hashTiles[i / 256].AsSpan((int)(i % 256) * 32, 32);
            Assert.True(expected.SequenceEqual(leafHash), $"index {i} carries another entry's leaf");
        }
    }

    [Fact]
    public async Task Full_tiles_then_the_partial_after_the_wait_then_only_the_new_suffix_of_the_full_tile()
    {
        var fake = _server.Add(new FakeTiledLog("navigli", 778));
        using var harness = new FollowerHarness(TestSettings.Fast());
        var key = LogKeys.FromUrl(_server.UrlOf(fake));

        await using (var run = new Running(harness.Tiled(_server.UrlOf(fake)).RunAsync))
        {
            await run.UntilAsync(harness.Checkpoints.WhenSavedAsync(key, 778));
            Assert.Equal(1, fake.TileRequests.Count(p => p == "003.p/10"));

            fake.TreeSize = 1024;
            await run.UntilAsync(harness.Checkpoints.WhenSavedAsync(key, 1024));
        }

        AssertEachIndexOnceWithItsLeaf(harness.Publisher, key, 0, 1024);
        Assert.Equal(["000", "001", "002", "003", "003.p/10"], fake.TileRequests.Order(StringComparer.Ordinal));
        // Issuers are fetched once each, however many tiles name them.
        Assert.Equal(fake.Issuers.Count, fake.IssuerRequests.Count);
        Assert.Equal(fake.Issuers.Keys.Order(StringComparer.Ordinal), fake.IssuerRequests.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Gzip_encoded_tiles_are_accepted_and_requests_carry_the_user_agent()
    {
        var fake = _server.Add(new FakeTiledLog("gzipped", 512) { Gzip = true });
        using var harness = new FollowerHarness(TestSettings.Fast() with { UserAgent = "certstream-nats/test (+https://example.org/contact)" });
        var key = LogKeys.FromUrl(_server.UrlOf(fake));

        await using (var run = new Running(harness.Tiled(_server.UrlOf(fake)).RunAsync))
        {
            await run.UntilAsync(harness.Checkpoints.WhenSavedAsync(key, 512));
        }

        AssertEachIndexOnceWithItsLeaf(harness.Publisher, key, 0, 512);
        Assert.All(_server.UserAgents, ua => Assert.Equal("certstream-nats/test (+https://example.org/contact)", ua));
        Assert.NotEmpty(_server.UserAgents);
    }

    [Fact]
    public async Task The_partial_tile_is_not_fetched_before_partial_tile_wait()
    {
        var fake = _server.Add(new FakeTiledLog("patient", 778));
        using var harness = new FollowerHarness(TestSettings.Fast() with { PartialTileWait = TimeSpan.FromHours(1) });
        var key = LogKeys.FromUrl(_server.UrlOf(fake));

        await using (var run = new Running(harness.Tiled(_server.UrlOf(fake)).RunAsync))
        {
            await run.UntilAsync(harness.Publisher.WhenDistinctAsync(key, 768));
            var polls = fake.CheckpointRequests.Value;
            await run.UntilAsync(fake.CheckpointRequests.WhenAtLeastAsync(polls + 5));
        }

        Assert.DoesNotContain(fake.TileRequests, p => p.Contains(".p/", StringComparison.Ordinal));
        Assert.Equal(768, harness.Publisher.Distinct(key));
        Assert.Equal(768UL, harness.Checkpoints[key]!.NextIndex);
    }

    [Fact]
    public async Task Starting_at_the_head_inside_a_tile_publishes_only_the_entries_after_it()
    {
        var fake = _server.Add(new FakeTiledLog("midtile", 778));
        using var harness = new FollowerHarness(TestSettings.Fast(StartPosition.Head));
        var key = LogKeys.FromUrl(_server.UrlOf(fake));

        await using (var run = new Running(harness.Tiled(_server.UrlOf(fake)).RunAsync))
        {
            await run.UntilAsync(fake.CheckpointRequests.WhenAtLeastAsync(3));
            fake.TreeSize = 1024;
            await run.UntilAsync(harness.Checkpoints.WhenSavedAsync(key, 1024));
        }

        AssertEachIndexOnceWithItsLeaf(harness.Publisher, key, 778, 1024);
        Assert.Equal(["003"], fake.TileRequests);
    }

    [Fact]
    public async Task A_deleted_partial_tile_falls_back_to_the_full_tile()
    {
        var fake = _server.Add(new FakeTiledLog("deleted", 778));
        using var harness = new FollowerHarness(TestSettings.Fast() with { SthPollInterval = TimeSpan.FromHours(1) });
        var key = LogKeys.FromUrl(_server.UrlOf(fake));

        await using (var run = new Running(harness.Tiled(_server.UrlOf(fake)).RunAsync))
        {
            await run.UntilAsync(harness.Publisher.WhenDistinctAsync(key, 768));
            // The log grew and dropped its partial tile, but our checkpoint (polled hourly here) still says 778.
            fake.TreeSize = 1024;
            await run.UntilAsync(harness.Checkpoints.WhenSavedAsync(key, 1024));
        }

        AssertEachIndexOnceWithItsLeaf(harness.Publisher, key, 0, 1024);
        Assert.Contains("003.p/10", fake.TileRequests);
    }
}
