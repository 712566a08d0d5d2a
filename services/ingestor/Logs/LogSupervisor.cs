using Certstream.Ingestor.Checkpoints;
using Certstream.Ingestor.Http;
using Certstream.Ingestor.Leases;
using Certstream.Ingestor.Publishing;
using Certstream.Ingestor.Tiled;
using Microsoft.Extensions.Logging;

namespace Certstream.Ingestor.Logs;

/// <summary>
/// Keeps one follower running per chosen log (docs/ingest.md): fetches the log list at start and every
/// <see cref="IngestorSettings.LogListRefreshInterval"/>, starts followers for new logs and cancels those of
/// removed logs. A failed list fetch keeps the previous list (and additional logs run even when the first
/// fetch fails — unlike certstream-server-go, the process never exits for lack of logs).
/// A follower that throws (a bug) is logged and restarted; it never takes the others down.
/// With <see cref="ILogLeases"/>, a follower runs only while this instance holds the log's lease (README "Architecture").
/// </summary>
internal sealed class LogSupervisor : IDisposable
{
    private readonly IngestorSettings _settings;
    private readonly LogListSource? _listSource;
    private readonly ILogFollowerFactory _followers;
    private readonly Func<string, string> _keyOf;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly IngestorMetrics _metrics;
    private readonly Backoff _backoff;
    private readonly ILogLeases? _leases;
    private readonly Dictionary<string, (LogDescriptor Log, CancellationTokenSource Stop, Task Run)> _running = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private readonly List<IDisposable> _owned = [];

    /// <param name="listSource">Null when <c>disable_default_logs</c> is set (then only additional logs are followed).</param>
    /// <param name="keyOf">README "NATS subjects" log key of a URL: Contracts' <c>LogKey.FromUrl</c>.</param>
    /// <param name="leases">Null: follow every chosen log (a single replica).</param>
    public LogSupervisor(IngestorSettings settings, LogListSource? listSource, ILogFollowerFactory followers, Func<string, string> keyOf,
        IngestorMetrics metrics, ILoggerFactory loggers, TimeProvider time, ILogLeases? leases = null)
    {
        _leases = leases;
        _settings = settings;
        _listSource = listSource;
        _followers = followers;
        _keyOf = keyOf;
        _metrics = metrics;
        _logger = loggers.CreateLogger<LogSupervisor>();
        _time = time;
        _backoff = new Backoff(settings.RetryMin, settings.RetryMax);
    }

    /// <summary>
    /// Builds the whole CT side: one HTTP client, a follower per log feeding <paramref name="publisher"/> and
    /// <paramref name="checkpoints"/>. Dispose the supervisor after <see cref="RunAsync"/> ended to release the client.
    /// </summary>
    public static LogSupervisor Create(IngestorSettings settings, IEntryPublisher publisher, ICheckpointStore checkpoints, ITileLeafSource tileLeaves,
        Func<string, string> keyOf, IngestorMetrics metrics, ILoggerFactory loggers, TimeProvider? time = null, ILogLeases? leases = null)
    {
        time ??= TimeProvider.System;
        var client = CtHttpClient.Create(settings);
        var http = new LogHttp(client, metrics, time, settings.MaxResponseBytes);
        var context = new FollowerContext(settings, http, publisher, checkpoints, metrics, loggers, time);
        var listSource = settings.DisableDefaultLogs ? null : new LogListSource(settings, http);
        var supervisor = new LogSupervisor(settings, listSource, new LogFollowerFactory(context, tileLeaves), keyOf, metrics, loggers, time, leases);
        supervisor._owned.Add(client);
        return supervisor;
    }

    /// <summary>Keys of the logs with a running follower.</summary>
    public IReadOnlyCollection<string> Followed
    {
        get { lock (_gate) return [.. _running.Keys]; }
    }

    /// <summary>Runs until cancelled; then stops every follower (each saves its acked checkpoint) before returning.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        LogList? list = null;
        var listFailures = 0;
        try
        {
            while (true)
            {
                if (_listSource is not null)
                {
                    var fetched = await _listSource.TryFetchAsync(cancellationToken);
                    if (fetched.Ok)
                    {
                        list = fetched.Value;
                        listFailures = 0;
                    }
                    else
                    {
                        listFailures++;
                        _logger.LogWarning("log list {Url} not fetched ({Kind}: {Detail}); {Action}", _settings.LogListUrl,
                            IngestorMetrics.KindName(fetched.Error), fetched.Detail, list is null ? "following only additional logs for now" : "keeping the previous list");
                    }
                }

                var problems = new List<string>();
                var wanted = LogSelection.Choose(list, _settings, _keyOf, problems);
                foreach (var problem in problems) _logger.LogWarning("log selection: {Problem}", problem);
                // Without any list yet, stop nothing that a list put there before (there was none) — just add.
                await ReconcileAsync(wanted);

                var wait = listFailures > 0 && list is null ? _backoff.Delay(listFailures) : _settings.LogListRefreshInterval;
                await Task.Delay(wait, _time, cancellationToken);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Shutting down.
        }
        finally
        {
            await StopAsync(Followed);
        }
    }

    public void Dispose()
    {
        foreach (var owned in _owned) owned.Dispose();
        _owned.Clear();
    }

    private async Task ReconcileAsync(IReadOnlyList<LogDescriptor> wanted)
    {
        var wantedKeys = wanted.Select(l => l.Key).ToHashSet(StringComparer.Ordinal);
        var removed = Followed.Where(k => !wantedKeys.Contains(k)).ToList();
        await StopAsync(removed);
        foreach (var log in wanted)
        {
            lock (_gate)
            {
                if (_running.ContainsKey(log.Key)) continue;
                var stop = new CancellationTokenSource();
                _running[log.Key] = (log, stop, Task.Run(() => SuperviseAsync(log, stop.Token), CancellationToken.None));
            }
            _metrics.FollowerStarted();
            _logger.LogInformation("log {Log}: following {Kind} log {Url} ({Description}, {Operator})", log.Key, log.TypeName, log.Url, log.Description, log.Operator);
        }
    }

    private async Task StopAsync(IEnumerable<string> keys)
    {
        var stopping = new List<(string Key, CancellationTokenSource Stop, Task Run)>();
        lock (_gate)
        {
            foreach (var key in keys)
            {
                if (!_running.Remove(key, out var running)) continue;
                stopping.Add((key, running.Stop, running.Run));
            }
        }
        foreach (var (_, stop, _) in stopping) await stop.CancelAsync();
        foreach (var (key, stop, run) in stopping)
        {
            await run; // SuperviseAsync never throws.
            stop.Dispose();
            _metrics.FollowerStopped();
            _logger.LogInformation("log {Log}: stopped following", key);
        }
    }

    private async Task SuperviseAsync(LogDescriptor log, CancellationToken cancellationToken)
    {
        for (var crashes = 1; !cancellationToken.IsCancellationRequested; crashes++)
        {
            ILogLease? lease = null;
            try
            {
                if (_leases is not null) lease = await _leases.AcquireAsync(log.Key, cancellationToken);
                // A lost lease stops the follower at once, like a shutdown (it saves its acked checkpoint).
                using var following = lease is null ? null : CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, lease.Lost);
                try
                {
                    await _followers.Create(log).RunAsync(following?.Token ?? cancellationToken);
                }
                catch (OperationCanceledException) when (lease is { Lost.IsCancellationRequested: true })
                {
                }
                if (lease is { Lost.IsCancellationRequested: true })
                {
                    _logger.LogInformation("log {Log}: stopped following (lease lost); campaigning again", log.Key);
                    crashes = 0;
                    continue;
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // A bug in one follower must not stop the others or the process (docs/ingest.md).
                _logger.LogError(e, "log {Log}: follower failed; restarting it", log.Key);
            }
            finally
            {
                if (lease is not null) await lease.DisposeAsync();
            }
            try
            {
                await Task.Delay(_backoff.Delay(crashes), _time, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
