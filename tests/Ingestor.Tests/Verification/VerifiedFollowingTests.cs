using Certstream.CtLogSim;
using Certstream.Hosting.Configuration;
using Certstream.Ingestor.Logs;
using Certstream.Ingestor.Tests.Support;
using Microsoft.Extensions.Logging;

namespace Certstream.Ingestor.Tests.Verification;

/// <summary>
/// docs/ingest.md "Verified logs": both followers against the simulator's signed logs over real HTTP, honest and misbehaving
/// (<c>bad_signature</c>, <c>fork</c>), under each <c>general.verify</c> mode.
/// </summary>
public sealed class VerifiedFollowingTests : IAsyncLifetime
{
    private const int InitialSize = 300;
    private CtLogSimulator _sim = null!;

    public async Task InitializeAsync() =>
        _sim = await CtLogSimulator.StartAsync(new CtLogSimOptions { Rfc6962Logs = 2, TiledLogs = 2, InitialSize = InitialSize, Seed = 5 }, CancellationToken.None);

    public async Task DisposeAsync() => await _sim.DisposeAsync();

    public static TheoryData<string> Kinds() => ["rfc6962", "static"];

    private LogDescriptor Describe(string name, bool withKey = true)
    {
        var info = _sim.Log(name);
        var url = info.Url.ToString();
        var kind = info.Kind == CtLogSim.Logs.LogKind.Rfc6962 ? LogKind.Rfc6962 : LogKind.Tiled;
        return new LogDescriptor(LogKeys.FromUrl(url), url, "sim " + name, info.Operator, kind, withKey ? info.Key : "");
    }

    private static FollowerHarness Harness(VerifyMode mode) => new(TestSettings.Fast() with { Verify = mode });

    private static MetricRecorder Failures(FollowerHarness h, LogDescriptor log) => new(h.ServiceMetrics, "ingestor_verify_failures_total", log.Key);

    private static double VerifiedHeads(FollowerHarness h, LogDescriptor log) =>
        new MetricRecorder(h.ServiceMetrics, "ingestor_verified_heads_total", log.Key).Value;

    private static double Halted(FollowerHarness h, LogDescriptor log) => new MetricRecorder(h.ServiceMetrics, "ingestor_log_halted", log.Key).Value;

    // Requests for consistency proofs: get-sth-consistency of an RFC 6962 log, hash tiles of a static-ct log.
    private static double ProofRequests(FollowerHarness h, LogDescriptor log) =>
        new MetricRecorder(h.ServiceMetrics, "ingestor_request_duration_seconds", log.Key)
            .Count("endpoint", log.Kind == LogKind.Tiled ? "hash-tile" : "get-sth-consistency");

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task An_honest_log_has_its_heads_verified_and_consistency_checked(string kind)
    {
        var log = Describe(kind + "-0");
        using var harness = Harness(VerifyMode.Warn);

        await using (var run = new Running(harness.Follower(log).RunAsync))
        {
            await run.UntilAsync(harness.Checkpoints.WhenSavedAsync(log.Key, InitialSize));
            await _sim.AppendAsync(kind + "-0", 300, CancellationToken.None);
            await run.UntilAsync(harness.Checkpoints.WhenSavedAsync(log.Key, InitialSize + 300));
        }

        Assert.True(VerifiedHeads(harness, log) >= 2);
        Assert.Equal(0, Failures(harness, log).Value);
        Assert.True(ProofRequests(harness, log) >= 1);
        Assert.Equal(InitialSize + 300, harness.Publisher.Distinct(log.Key));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Under_warn_bad_signatures_are_counted_and_logged_once_and_the_log_is_still_followed(string kind)
    {
        var log = Describe(kind + "-0");
        _sim.SetBadSignature(kind + "-0", true);
        using var harness = Harness(VerifyMode.Warn);

        await using (var run = new Running(harness.Follower(log).RunAsync))
        {
            await run.UntilAsync(harness.Checkpoints.WhenSavedAsync(log.Key, InitialSize));
            await _sim.AppendAsync(kind + "-0", 20, CancellationToken.None);
            await run.UntilAsync(harness.Checkpoints.WhenSavedAsync(log.Key, InitialSize + 20));
        }

        Assert.True(Failures(harness, log).Sum("check", "signature") >= 2);
        Assert.Equal(0, VerifiedHeads(harness, log));
        Assert.Single(harness.Loggers.Lines, l => l.Level == LogLevel.Warning && l.Text.Contains("signature", StringComparison.Ordinal));
        Assert.Equal(InitialSize + 20, harness.Publisher.Distinct(log.Key));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Under_enforce_a_bad_signature_stops_that_log_while_another_keeps_going(string kind)
    {
        var bad = Describe(kind + "-0");
        var good = Describe(kind + "-1");
        using var harness = Harness(VerifyMode.Enforce);
        await using var badRun = new Running(harness.Follower(bad).RunAsync);
        await using var goodRun = new Running(harness.Follower(good).RunAsync);
        await badRun.UntilAsync(harness.Checkpoints.WhenSavedAsync(bad.Key, InitialSize));
        await goodRun.UntilAsync(harness.Checkpoints.WhenSavedAsync(good.Key, InitialSize));

        _sim.SetBadSignature(kind + "-0", true);
        await _sim.AppendAsync(kind + "-0", 20, CancellationToken.None);
        await badRun.UntilAsync(harness.Loggers.WhenLoggedAsync((level, text) => level == LogLevel.Error && text.Contains(bad.Key, StringComparison.Ordinal)));
        var requests = _sim.Record.Requests(kind + "-0");
        Assert.Equal(1, Halted(harness, bad));

        // While the other log takes many more polls and fetches, the stopped one is not asked for anything.
        await _sim.AppendAsync(kind + "-1", 300, CancellationToken.None);
        await goodRun.UntilAsync(harness.Checkpoints.WhenSavedAsync(good.Key, InitialSize + 300));
        Assert.Equal(requests, _sim.Record.Requests(kind + "-0"));
        Assert.Equal(InitialSize, harness.Publisher.Distinct(bad.Key));
        Assert.False(badRun.Task.IsCompleted); // Still holding on (and so its lease), not crashed.
        Assert.Equal(1, Failures(harness, bad).Sum("check", "signature"));
        Assert.Equal(0, Halted(harness, good));
        Assert.Contains(harness.Loggers.Lines, l => l.Level == LogLevel.Error && l.Text.Contains("restarted", StringComparison.Ordinal));

        await badRun.StopAsync();
        Assert.Equal(0, Halted(harness, bad));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task A_log_that_refuses_consistency_proofs_is_still_followed_under_enforce_and_checked_again_once_it_serves_them(string kind)
    {
        var log = Describe(kind + "-0");
        using var harness = Harness(VerifyMode.Enforce);
        await using var run = new Running(harness.Follower(log).RunAsync);
        await run.UntilAsync(harness.Checkpoints.WhenSavedAsync(log.Key, InitialSize));

        // No proof can be had: that is no verdict on the log, so it is followed on, with a warning, and nothing is counted.
        _sim.SetNoProofs(kind + "-0", true);
        await _sim.AppendAsync(kind + "-0", 256, CancellationToken.None);
        await run.UntilAsync(harness.Checkpoints.WhenSavedAsync(log.Key, InitialSize + 256));
        Assert.Contains(harness.Loggers.Lines, l => l.Level == LogLevel.Warning && l.Text.Contains("no consistency proof", StringComparison.Ordinal));
        Assert.Equal(0, Failures(harness, log).Sum("check", "consistency"));
        Assert.Equal(0, Halted(harness, log));

        // Once it serves them again, the next head is proven against the last verified one.
        var verified = VerifiedHeads(harness, log);
        _sim.SetNoProofs(kind + "-0", false);
        await _sim.AppendAsync(kind + "-0", 256, CancellationToken.None);
        await run.UntilAsync(harness.Checkpoints.WhenSavedAsync(log.Key, InitialSize + 512));
        Assert.True(VerifiedHeads(harness, log) > verified, "no head verified since proofs are served again"); // checked before its size was followed
        Assert.Equal(0, Failures(harness, log).Sum("check", "consistency"));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task A_forked_tree_is_counted_as_a_consistency_failure(string kind)
    {
        var log = Describe(kind + "-0");
        using var harness = Harness(VerifyMode.Warn);

        await using (var run = new Running(harness.Follower(log).RunAsync))
        {
            await run.UntilAsync(harness.Checkpoints.WhenSavedAsync(log.Key, InitialSize));
            _sim.Fork(kind + "-0");
            await _sim.AppendAsync(kind + "-0", 20, CancellationToken.None);
            await run.UntilAsync(harness.Checkpoints.WhenSavedAsync(log.Key, InitialSize + 20));
        }

        Assert.Equal(1, Failures(harness, log).Sum("check", "consistency"));
        Assert.Equal(0, Failures(harness, log).Sum("check", "signature"));
        Assert.True(ProofRequests(harness, log) >= 1);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Under_enforce_a_forked_tree_stops_the_log(string kind)
    {
        var log = Describe(kind + "-0");
        using var harness = Harness(VerifyMode.Enforce);
        await using var run = new Running(harness.Follower(log).RunAsync);
        await run.UntilAsync(harness.Checkpoints.WhenSavedAsync(log.Key, InitialSize));

        _sim.Fork(kind + "-0");
        await _sim.AppendAsync(kind + "-0", 20, CancellationToken.None);
        await run.UntilAsync(harness.Loggers.WhenLoggedAsync((level, text) => level == LogLevel.Error && text.Contains("not consistent", StringComparison.Ordinal)));

        Assert.Equal(1, Halted(harness, log));
        Assert.Equal(1, Failures(harness, log).Sum("check", "consistency"));
        Assert.Equal(InitialSize, harness.Publisher.Distinct(log.Key));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task With_verify_off_nothing_is_checked_and_no_proof_is_asked_for(string kind)
    {
        var log = Describe(kind + "-0");
        _sim.Fork(kind + "-0");
        using var harness = Harness(VerifyMode.Off);

        await using (var run = new Running(harness.Follower(log).RunAsync))
        {
            await run.UntilAsync(harness.Checkpoints.WhenSavedAsync(log.Key, InitialSize));
            _sim.SetBadSignature(kind + "-0", true);
            await _sim.AppendAsync(kind + "-0", 300, CancellationToken.None);
            await run.UntilAsync(harness.Checkpoints.WhenSavedAsync(log.Key, InitialSize + 300));
        }

        Assert.Equal(0, ProofRequests(harness, log));
        Assert.Equal(0, VerifiedHeads(harness, log));
        Assert.Equal(0, Failures(harness, log).Value);
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task A_log_without_a_key_is_followed_unverified_under_warn_and_not_at_all_under_enforce(string kind)
    {
        var log = Describe(kind + "-0", withKey: false);
        using (var warn = Harness(VerifyMode.Warn))
        {
            await using (var run = new Running(warn.Follower(log).RunAsync))
                await run.UntilAsync(warn.Checkpoints.WhenSavedAsync(log.Key, InitialSize));
            Assert.Equal(1, Failures(warn, log).Sum("check", "no_key"));
            Assert.Single(warn.Loggers.Lines, l => l.Level == LogLevel.Warning && l.Text.Contains("no public key", StringComparison.Ordinal));
            Assert.Equal(0, ProofRequests(warn, log));
        }

        var requests = _sim.Record.Requests(kind + "-0");
        using var enforce = Harness(VerifyMode.Enforce);
        await using var halted = new Running(enforce.Follower(log).RunAsync);
        await halted.UntilAsync(enforce.Loggers.WhenLoggedAsync((level, text) => level == LogLevel.Error && text.Contains("no public key", StringComparison.Ordinal)));
        Assert.Equal(1, Halted(enforce, log));
        Assert.Equal(1, Failures(enforce, log).Sum("check", "no_key"));
        Assert.Equal(requests, _sim.Record.Requests(kind + "-0"));
    }
}
