using System.Diagnostics;
using System.Net;
using System.Text.Json;

namespace Certstream.CtLogSim.Tests;

/// <summary>One simulator for the class: rfc6962-0 and rfc6962-1 (cap 32) and static-0; each test sets the faults it needs.</summary>
public sealed class FaultSimulatorFixture : IAsyncLifetime
{
    internal CtLogSimulator Sim { get; private set; } = null!;

    public async Task InitializeAsync() => Sim = await CtLogSimulator.StartAsync(new CtLogSimOptions
    {
        Rfc6962Logs = 2, TiledLogs = 1, BatchCaps = [32], InitialSize = 300, Seed = 11,
    }, CancellationToken.None);

    public async Task DisposeAsync() => await Sim.DisposeAsync();
}

public sealed class FaultTests(FaultSimulatorFixture fixture) : IClassFixture<FaultSimulatorFixture>, IDisposable
{
    private CtLogSimulator Sim => fixture.Sim;

    public void Dispose()
    {
        foreach (var log in Sim.Logs) Sim.SetFaults(log.Name, FaultOptions.None);
    }

    private const int Requests = 200;
    private const double Rate = 0.3;
    private static readonly TimeSpan SlowDelay = TimeSpan.FromMilliseconds(400);

    private enum Seen { Ok, RateLimitedWithRetryAfter, RateLimitedWithout, ServerError, Unavailable, Short, Dropped, Garbage }

    public static TheoryData<string> Kinds() => [.. Enum.GetNames<FaultKind>().Where(k => k != nameof(FaultKind.None))];

    [Theory]
    [MemberData(nameof(Kinds))]
    public async Task Each_fault_kind_happens_at_about_its_rate(string kindName)
    {
        var kind = Enum.Parse<FaultKind>(kindName);
        var sim = Sim;
        sim.SetFaults("rfc6962-0", With(kind, Rate) with { SlowDelay = SlowDelay });
        var countBefore = sim.Record.Faults("rfc6962-0")[kind];
        var requestsBefore = sim.Record.Requests("rfc6962-0");
        using var http = TestHttp.NewClient();

        var seen = new List<(Seen Seen, TimeSpan Elapsed)>();
        // Slow answers are awaited concurrently so the test stays short.
        var results = await RunConcurrently(Requests, 16, i => GetEntriesAsync(http, sim, i * 6 % 96, i * 6 % 96 + 40));
        seen.AddRange(results);

        var count = sim.Record.Faults("rfc6962-0")[kind] - countBefore;
        Assert.InRange(count, (long)(Requests * Rate * 0.5), (long)(Requests * Rate * 1.5));
        Assert.Equal(Requests, sim.Record.Requests("rfc6962-0") - requestsBefore);
        var expected = kind switch
        {
            FaultKind.RateLimited => Seen.RateLimitedWithRetryAfter,
            FaultKind.RateLimitedWithoutRetryAfter => Seen.RateLimitedWithout,
            FaultKind.ServerError => Seen.ServerError,
            FaultKind.Unavailable => Seen.Unavailable,
            FaultKind.Truncated => Seen.Short,
            FaultKind.Dropped => Seen.Dropped,
            FaultKind.Garbage => Seen.Garbage,
            _ => Seen.Ok,
        };
        if (kind == FaultKind.Slow)
        {
            // A slow answer can't be faster than the delay; all answers are still correct.
            // (less a little: timers and Stopwatch need not agree to the millisecond)
            Assert.True(seen.Count(s => s.Elapsed >= SlowDelay - TimeSpan.FromMilliseconds(30)) >= count);
            Assert.All(seen, s => Assert.Equal(Seen.Ok, s.Seen));
        }
        else
        {
            Assert.Equal(count, seen.Count(s => s.Seen == expected));
            Assert.Equal(Requests - count, seen.Count(s => s.Seen == Seen.Ok));
        }
    }

    [Fact]
    public async Task Successful_answers_are_never_corrupted_by_faults()
    {
        var faults = FaultOptions.Uniform(0.6) with { SlowDelay = TimeSpan.FromMilliseconds(20) };
        var sim = Sim;
        sim.SetFaults("rfc6962-0", faults);
        sim.SetFaults("static-0", faults);
        using var http = TestHttp.NewClient();

        // GetEntriesAsync checks every parsable answer against the record and throws on any difference.
        var results = await RunConcurrently(300, 8, i => GetEntriesAsync(http, sim, (i * 13) % 199, (i * 13) % 199 + (i % 50)));
        Assert.InRange(results.Count(r => r.Item1 == Seen.Ok), 60, 240);

        var tileResults = await RunConcurrently(100, 8, async i =>
        {
            using var response = await SafeGetAsync(http, sim.Log("static-0").Url.Under(i % 2 == 0 ? "tile/data/000" : "tile/0/000"));
            if (response is null || response.StatusCode != HttpStatusCode.OK) return (Seen.ServerError, TimeSpan.Zero);
            byte[] body;
            try { body = await response.Content.ReadAsByteArrayAsync(); }
            catch (HttpRequestException) { return (Seen.Dropped, TimeSpan.Zero); }
            var expected = i % 2 == 0
                ? sim.Record.Entries("static-0", 0, 255).SelectMany(e => e.TileLeaf!).ToArray()
                : sim.Record.Entries("static-0", 0, 255).SelectMany(e => e.LeafHash).ToArray();
            Assert.Equal(expected, body);
            return (Seen.Ok, TimeSpan.Zero);
        });
        Assert.Contains(tileResults, r => r.Item1 == Seen.Ok);
    }

    [Fact]
    public async Task Faults_are_set_per_log()
    {
        var sim = Sim;
        sim.SetFaults("rfc6962-1", new FaultOptions { ServerError = 1 });
        using var http = TestHttp.NewClient();
        for (var i = 0; i < 10; i++)
        {
            using var healthy = await http.GetAsync(sim.Log("rfc6962-0").Url.Under("ct/v1/get-sth"));
            using var failing = await http.GetAsync(sim.Log("rfc6962-1").Url.Under("ct/v1/get-sth"));
            Assert.Equal(HttpStatusCode.OK, healthy.StatusCode);
            Assert.Equal(HttpStatusCode.InternalServerError, failing.StatusCode);
        }
        sim.SetFaults("rfc6962-1", FaultOptions.None);
        using var healed = await http.GetAsync(sim.Log("rfc6962-1").Url.Under("ct/v1/get-sth"));
        Assert.Equal(HttpStatusCode.OK, healed.StatusCode);
    }

    private static FaultOptions With(FaultKind kind, double rate) => kind switch
    {
        FaultKind.RateLimited => new() { RateLimited = rate },
        FaultKind.RateLimitedWithoutRetryAfter => new() { RateLimitedWithoutRetryAfter = rate },
        FaultKind.ServerError => new() { ServerError = rate },
        FaultKind.Unavailable => new() { Unavailable = rate },
        FaultKind.Slow => new() { Slow = rate },
        FaultKind.Truncated => new() { Truncated = rate },
        FaultKind.Dropped => new() { Dropped = rate },
        FaultKind.Garbage => new() { Garbage = rate },
        _ => FaultOptions.None,
    };

    /// <summary>Classifies one get-entries answer; a 200 that parses must match the record exactly.</summary>
    private static async Task<(Seen, TimeSpan)> GetEntriesAsync(HttpClient http, CtLogSimulator sim, long start, long end)
    {
        var watch = Stopwatch.StartNew();
        using var response = await SafeGetAsync(http, sim.Log("rfc6962-0").Url.Under($"ct/v1/get-entries?start={start}&end={end}"));
        if (response is null) return (Seen.Dropped, watch.Elapsed);
        switch (response.StatusCode)
        {
            case HttpStatusCode.TooManyRequests:
                return (response.Headers.RetryAfter is null ? Seen.RateLimitedWithout : Seen.RateLimitedWithRetryAfter, watch.Elapsed);
            case HttpStatusCode.InternalServerError: return (Seen.ServerError, watch.Elapsed);
            case HttpStatusCode.ServiceUnavailable:
                Assert.NotNull(response.Headers.RetryAfter);
                return (Seen.Unavailable, watch.Elapsed);
        }
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        byte[] body;
        try
        {
            body = await response.Content.ReadAsByteArrayAsync();
        }
        catch (HttpRequestException)
        {
            return (Seen.Dropped, watch.Elapsed);
        }
        JsonElement entries;
        try
        {
            entries = JsonDocument.Parse(body).RootElement.GetProperty("entries");
        }
        catch (JsonException)
        {
            return (Seen.Garbage, watch.Elapsed);
        }
        // Cap 32, aligned: what an honest answer holds.
        var last = end - start + 1 >= 32 ? (start / 32 + 1) * 32 - 1 : end;
        var expected = (int)(last - start + 1);
        var record = sim.Record.Entries("rfc6962-0", start, last);
        var served = entries.EnumerateArray().ToList();
        Assert.InRange(served.Count, 1, expected);
        for (var i = 0; i < served.Count; i++)
        {
            Assert.Equal(record[i].LeafInput, served[i].GetProperty("leaf_input").GetBytesFromBase64());
            Assert.Equal(record[i].ExtraData, served[i].GetProperty("extra_data").GetBytesFromBase64());
        }
        return (served.Count < expected ? Seen.Short : Seen.Ok, watch.Elapsed);
    }

    private static async Task<HttpResponseMessage?> SafeGetAsync(HttpClient http, Uri url)
    {
        try
        {
            // Headers only: a dropped connection then surfaces while reading the body.
            return await http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead);
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }

    private static async Task<List<T>> RunConcurrently<T>(int count, int parallelism, Func<int, Task<T>> action)
    {
        var results = new T[count];
        await Parallel.ForAsync(0, count, new ParallelOptions { MaxDegreeOfParallelism = parallelism }, async (i, _) => results[i] = await action(i));
        return [.. results];
    }
}
