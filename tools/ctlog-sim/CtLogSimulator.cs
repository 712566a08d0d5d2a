using System.Net;
using System.Security.Cryptography;
using Certstream.CtLogSim.Http;
using Certstream.CtLogSim.Issuance;
using Certstream.CtLogSim.Logs;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Certstream.CtLogSim;

/// <summary>
/// A set of CT logs (RFC 6962 and static-ct-api) and their log list behind one HTTP server.
/// Start it with <see cref="StartAsync"/>; it grows its logs, injects faults and records everything.
/// </summary>
internal sealed class CtLogSimulator : IAsyncDisposable
{
    private const int MaxEntriesPerTick = 50_000;

    private readonly CtLogSimOptions _options;
    private readonly SimIssuance _issuance;
    private readonly Dictionary<string, SimulatedLog> _logs;
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<Task> _growth = [];
    private WebApplication? _app;

    private CtLogSimulator(CtLogSimOptions options, SimIssuance issuance, Dictionary<string, SimulatedLog> logs)
    {
        _options = options;
        _issuance = issuance;
        _logs = logs;
        Record = new SimRecord(logs);
    }

    /// <summary>Base URL, ending in "/".</summary>
    public Uri BaseUrl { get; private set; } = null!;
    public Uri LogListUrl => new(BaseUrl, "log_list.json");
    public IReadOnlyList<SimLogInfo> Logs { get; private set; } = [];
    public SimRecord Record { get; }
    public IReadOnlyList<CertificateAuthority> Authorities => _issuance.Authorities;

    public SimLogInfo Log(string name) => Logs.Single(l => l.Name == name);

    public static async Task<CtLogSimulator> StartAsync(CtLogSimOptions options, CancellationToken cancellationToken)
    {
        Validate(options);
        var issuance = await SimIssuance.CreateAsync(options, cancellationToken).ConfigureAwait(false);
        var logs = new Dictionary<string, SimulatedLog>(StringComparer.Ordinal);
        var total = options.Rfc6962Logs + options.TiledLogs;
        for (var i = 0; i < total; i++)
        {
            var rfc = i < options.Rfc6962Logs;
            var name = rfc ? $"rfc6962-{i}" : $"static-{i - options.Rfc6962Logs}";
            var cap = rfc ? options.BatchCaps[i % options.BatchCaps.Count] : SimulatedLog.TileWidth;
            var key = DeterministicKeys.EcPrivateKey(new SeededRandom(SeededRandom.Mix(options.Seed, 0x10600UL + (ulong)i)), ECCurve.NamedCurves.nistP256, 32);
            var faults = new FaultInjector(options.LogFaults.GetValueOrDefault(name, options.Faults), SeededRandom.Mix(options.Seed, 0xfa17UL + (ulong)i));
            logs[name] = new SimulatedLog(name, rfc ? LogKind.Rfc6962 : LogKind.StaticCt, i, cap, SimIssuance.OperatorName(i % options.Operators), key, faults, TimeProvider.System)
            {
                BadSignature = options.BadSignatureLogs.Contains(name),
            };
        }

        var simulator = new CtLogSimulator(options, issuance, logs);
        try
        {
            if (options.InitialSize > 0)
                await Task.WhenAll(logs.Values.Select(l => simulator.AppendAsync(l.Name, options.InitialSize, cancellationToken))).ConfigureAwait(false);
            await simulator.StartServerAsync(cancellationToken).ConfigureAwait(false);
            if (options.EntriesPerSecond > 0 || options.BurstSize > 0)
            {
                foreach (var log in logs.Values.Where(l => options.StateOf(l.Name) is not ("readonly" or "retired")))
                    simulator._growth.Add(Task.Run(() => simulator.GrowAsync(log, simulator._stopping.Token), CancellationToken.None));
            }
            return simulator;
        }
        catch
        {
            await simulator.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Adds <paramref name="count"/> entries to a log now (on top of any configured growth).</summary>
    public async Task AppendAsync(string log, long count, CancellationToken cancellationToken)
    {
        var target = Find(log);
        await target.AppendGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var first = target.TreeSize;
            var issued = _issuance.IssueRange(target.Ordinal, first, count, cancellationToken);
            target.Append(issued);
        }
        finally
        {
            target.AppendGate.Release();
        }
    }

    /// <summary>Completes once the log holds at least <paramref name="size"/> entries; returns its size then.</summary>
    public Task<long> WaitForTreeSizeAsync(string log, long size, CancellationToken cancellationToken) =>
        Find(log).WaitForTreeSizeAsync(size, cancellationToken);

    public void SetFaults(string log, FaultOptions faults) => Find(log).Faults.Options = faults;

    /// <summary>Serve heads of <paramref name="log"/> whose signature does not verify (true), or good ones again (false).</summary>
    public void SetBadSignature(string log, bool bad) => Find(log).BadSignature = bad;

    /// <summary>While on, <paramref name="log"/> answers 404 to get-sth-consistency and to hash tiles: no proof can be had.</summary>
    public void SetNoProofs(string log, bool refuse) => Find(log).NoProofs = refuse;

    /// <summary>From now on <paramref name="log"/> serves a tree whose leaf 0 differs: its next head is inconsistent with the earlier ones.</summary>
    public void Fork(string log) => Find(log).Fork();

    internal SimulatedLog Find(string name) =>
        _logs.TryGetValue(name, out var log) ? log : throw new ArgumentException($"no log named '{name}'", nameof(name));

    private async Task GrowAsync(SimulatedLog log, CancellationToken cancellationToken)
    {
        var time = TimeProvider.System;
        var started = time.GetTimestamp();
        long added = 0;
        using var timer = new PeriodicTimer(_options.GrowthTick, time);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                var elapsed = time.GetElapsedTime(started).TotalSeconds;
                var due = (long)(_options.EntriesPerSecond * elapsed);
                if (_options.BurstSize > 0) due += _options.BurstSize * (long)(elapsed / _options.BurstInterval.TotalSeconds);
                var n = Math.Min(due - added, MaxEntriesPerTick);
                if (n <= 0) continue;
                await AppendAsync(log.Name, n, cancellationToken).ConfigureAwait(false);
                added += n;
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }

    private async Task StartServerAsync(CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [], ApplicationName = typeof(CtLogSimulator).Assembly.GetName().Name });
        if (!_options.ConsoleLogging) builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k =>
        {
            k.Listen(IPAddress.Parse(_options.Host), _options.Port);
            k.AddServerHeader = false;
        });
        var app = builder.Build();
        SimEndpoints.Map(app, this, _options);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        _app = app;

        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseUrl = new Uri((_options.PublicUrl?.ToString() ?? address).TrimEnd('/') + "/");
        Logs = [.. _logs.Values.OrderBy(l => l.Ordinal).Select(l =>
        {
            var url = new Uri(BaseUrl, l.Name + "/");
            l.Origin = url.Authority + "/" + l.Name;
            return new SimLogInfo(l.Name, l.Kind, url, l.Kind == LogKind.Rfc6962 ? l.BatchCap : 0, l.OperatorName,
                Convert.ToBase64String(l.LogId), Convert.ToBase64String(l.PublicKey), l.Kind == LogKind.StaticCt ? l.Origin : null, _options.StateOf(l.Name));
        })];
    }

    internal IEnumerable<SimulatedLog> AllLogs => _logs.Values.OrderBy(l => l.Ordinal);

    private static void Validate(CtLogSimOptions o)
    {
        if (o.Rfc6962Logs < 0 || o.TiledLogs < 0 || o.Rfc6962Logs + o.TiledLogs == 0) throw new ArgumentException("at least one log is needed");
        if (o.Operators < 1) throw new ArgumentException("at least one operator is needed");
        if (o.BatchCaps.Count == 0 || o.BatchCaps.Any(c => c < 1)) throw new ArgumentException("batch caps must be positive");
        if (o.EntriesPerSecond < 0 || o.InitialSize < 0 || o.BurstSize < 0) throw new ArgumentException("sizes and rates must not be negative");
        if (o.CrossLogRatio is < 0 or > 1 || o.PrecertRatio is < 0 or > 1) throw new ArgumentException("ratios must lie between 0 and 1");
        if (o.Faults.Total > 1 || o.LogFaults.Values.Any(f => f.Total > 1)) throw new ArgumentException("fault rates add up to more than 1");
        if (o.LogStates.Values.FirstOrDefault(s => !CtLogSimOptions.KnownStates.Contains(s)) is { } bad) throw new ArgumentException($"unknown log state '{bad}'");
        var names = Enumerable.Range(0, o.Rfc6962Logs).Select(i => $"rfc6962-{i}").Concat(Enumerable.Range(0, o.TiledLogs).Select(i => $"static-{i}")).ToHashSet();
        if (o.BadSignatureLogs.FirstOrDefault(n => !names.Contains(n)) is { } unknown) throw new ArgumentException($"--bad-signature: no log named '{unknown}'");
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        await Task.WhenAll(_growth).ConfigureAwait(false);
        if (_app is not null)
        {
            await _app.StopAsync(CancellationToken.None).ConfigureAwait(false);
            await _app.DisposeAsync().ConfigureAwait(false);
        }
        foreach (var log in _logs.Values) log.Dispose();
        _stopping.Dispose();
    }
}

/// <param name="Url">The log-list URL: `url` of an RFC 6962 log, `monitoring_url` (= `submission_url`) of a static-ct log.</param>
/// <param name="BatchCap">get-entries cap (RFC 6962 logs; 0 for static-ct logs).</param>
/// <param name="Origin">Checkpoint origin line (static-ct logs).</param>
/// <param name="State">Its state in the log list (usable unless configured).</param>
internal sealed record SimLogInfo(string Name, LogKind Kind, Uri Url, int BatchCap, string Operator, string LogId, string Key, string? Origin, string State);
