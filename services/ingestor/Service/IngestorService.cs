using Certstream.Contracts;
using Certstream.Hosting.Configuration;
using Certstream.Hosting.Messaging;
using Certstream.Ingestor.Checkpoints;
using Certstream.Ingestor.Http;
using Certstream.Ingestor.Leases;
using Certstream.Ingestor.Logs;
using Certstream.Ingestor.Publishing;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NATS.Client.Core;
using NATS.Client.JetStream;
using NATS.Client.KeyValueStore;

namespace Certstream.Ingestor.Service;

/// <summary>
/// The ingestor's NATS side and lifetime (README "Architecture"): waits for the <see cref="NatsConnector"/> to connect (it
/// retries forever while NATS is unreachable; not ready meanwhile), ensures <c>CT_RAW</c> and the KV buckets, runs the
/// <see cref="LogSupervisor"/> over the JetStream publisher, KV checkpoints and KV leases, and on stop lets the followers
/// save their acked checkpoints and release the leases. The connector closes the connection after that: it is
/// registered before this service, so the host stops it after this one.
/// </summary>
internal sealed class IngestorService : BackgroundService
{
    private readonly IngestorTuning _tuning;
    private readonly IngestorSettings _settings;
    private readonly TimeSpan _rawMaxAge;
    private readonly int _replicas;
    private readonly NatsConnector _connector;
    private readonly IngestorMetrics _metrics;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private volatile bool _ensured;
    private volatile KvLogLeases? _leases;
    private volatile LogSupervisor? _supervisor;
    private volatile JetStreamEntryPublisher? _publisher;

    /// <param name="nats">Its <c>replicas</c> (<c>nats.replicas</c>) are those of CT_RAW and the KV buckets.</param>
    public IngestorService(IngestorTuning tuning, IngestorSettings settings, IngestorOptions options, NatsOptions nats, NatsConnector connector,
        IngestorMetrics metrics, ILoggerFactory loggers, TimeProvider? time = null)
    {
        _tuning = tuning;
        _settings = settings;
        _rawMaxAge = options.RawMaxAge;
        _replicas = nats.Replicas;
        _connector = connector;
        _metrics = metrics;
        _loggers = loggers;
        _logger = loggers.CreateLogger<IngestorService>();
        _time = time ?? TimeProvider.System;
    }

    /// <summary><c>CT_RAW</c> and the KV buckets are ensured and the service has not stopped (with "nats": ready).</summary>
    public bool StreamsAreEnsured => _ensured;

    /// <summary>Why the ingestor is not ready: CT_RAW and the buckets not ensured yet, or publishing to CT_RAW fails; null when ready.</summary>
    public string? NotReadyReason =>
        !_ensured ? "CT_RAW and the KV buckets not ensured yet"
        : _publisher?.PublishProblem is { } problem ? $"publishing to {JetStreamNames.RawStream} fails ({problem}); the logs wait"
        : null;

    /// <summary>Connected to NATS with <c>CT_RAW</c> ensured.</summary>
    public bool IsReady => _ensured && _connector.IsConnected;

    /// <summary>Logs with a lease held by this instance (empty before NATS is reached).</summary>
    public IReadOnlyCollection<string> Leased => _leases?.Held ?? [];

    /// <summary>Logs this instance has a follower (or lease campaign) for.</summary>
    public IReadOnlyCollection<string> Followed => _supervisor?.Followed ?? [];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await _connector.WaitConnectedAsync(stoppingToken);
            var backoff = new Backoff(_tuning.EnsureRetryMin, _tuning.EnsureRetryMax);
            var (checkpointsBucket, leasesBucket) = await RetryAsync("ensure CT_RAW and the KV buckets", backoff, EnsureAsync, stoppingToken);
            _ensured = true;
            _logger.LogInformation("stream {Stream} and buckets {Checkpoints}, {Leases} ready; instance id {Instance}",
                JetStreamNames.RawStream, JetStreamNames.CheckpointsBucket, JetStreamNames.LeasesBucket, _tuning.InstanceId);

            await using var publisher = new JetStreamEntryPublisher(_connector.Connection, _tuning.Publisher, _loggers, _time);
            _publisher = publisher;
            var leases = new KvLogLeases(leasesBucket, _tuning.InstanceId, _tuning.LeaseTtl, _loggers, _time);
            _leases = leases;
            using var supervisor = LogSupervisor.Create(_settings, publisher, new KvCheckpointStore(checkpointsBucket), _tuning.TileLeaves,
                LogKey.FromUrl, _metrics, _loggers, _time, leases);
            _supervisor = supervisor;
            // Returns once every follower stopped, waited for its in-flight acks and saved its checkpoint (and released its lease).
            await supervisor.RunAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopped before NATS was reached.
        }
        finally
        {
            _ensured = false;
        }
    }

    /// <summary>
    /// Creates <c>CT_RAW</c> or brings its config (replicas included) up to date, and the two KV buckets; returns the buckets.
    /// A refusal by the server is one line saying what to do (<see cref="JetStreamRefusal"/>), retried with the rest.
    /// </summary>
    private async Task<(INatsKVStore Checkpoints, INatsKVStore Leases)> EnsureAsync(CancellationToken cancellationToken)
    {
        var js = new NatsJSContext(_connector.Connection);
        await JetStreamRefusal.EnsureAsync(JetStreamNames.RawStream, _replicas,
            () => js.CreateOrUpdateStreamAsync(JetStreamConfigs.RawStream(_rawMaxAge, _replicas), cancellationToken));
        var kv = new NatsKVContext(js);
        var checkpoints = await JetStreamRefusal.EnsureAsync(JetStreamNames.CheckpointsBucket, _replicas,
            () => kv.CreateOrUpdateStoreAsync(JetStreamConfigs.CheckpointsBucket(_replicas), cancellationToken));
        var leases = await JetStreamRefusal.EnsureAsync(JetStreamNames.LeasesBucket, _replicas,
            () => kv.CreateOrUpdateStoreAsync(JetStreamConfigs.LeasesBucket(_tuning.LeaseTtl, _replicas), cancellationToken));
        return (checkpoints, leases);
    }

    private async Task<T> RetryAsync<T>(string what, Backoff backoff, Func<CancellationToken, Task<T>> attempt, CancellationToken cancellationToken)
    {
        for (var failures = 1; ; failures++)
        {
            try
            {
                return await attempt(cancellationToken);
            }
            catch (Exception e) when (e is NatsException or TimeoutException or IOException && !cancellationToken.IsCancellationRequested)
            {
                var delay = backoff.Delay(failures);
                _logger.LogWarning("could not {What} (attempt {Attempt}): {Error}; retrying in {Delay:0.0}s", what, failures, e.Message, delay.TotalSeconds);
                await Task.Delay(delay, _time, cancellationToken);
            }
        }
    }
}
