using System.Diagnostics.Metrics;
using Certstream.Contracts;
using Certstream.Hosting.Messaging;
using Certstream.Ingestor.Checkpoints;
using Certstream.Ingestor.Http;
using Certstream.Ingestor.Leases;
using Certstream.Ingestor.Logs;
using Certstream.Ingestor.Nats;
using Certstream.Ingestor.Publishing;
using Certstream.Ingestor.Tiled;
using Certstream.Nats;
using Certstream.Nats.JetStream;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Certstream.Ingestor.Service;

/// <summary>Everything <see cref="IngestorService"/> needs besides DI's logging and metrics; tests and the bench build one directly.</summary>
internal sealed record IngestorServiceOptions(IngestorSettings Settings, TimeSpan RawMaxAge, string InstanceId)
{
    /// <summary>Options of a standalone service (tests, bench), which opens its own connection with <paramref name="nats"/>.</summary>
    public IngestorServiceOptions(IngestorSettings settings, NatsOpts nats, TimeSpan rawMaxAge, string instanceId)
        : this(settings, rawMaxAge, instanceId) => Nats = nats;

    /// <summary>The connection a standalone service opens; null in the host, where the connection is <c>AddNatsConnection</c>'s.</summary>
    public NatsOpts? Nats { get; init; }

    public TimeSpan LeaseTtl { get; init; } = IngestorStreams.DefaultLeaseTtl;
    public JetStreamPublisherSettings Publisher { get; init; } = new();
    public ITileLeafSource TileLeaves { get; init; } = new TiledLeafConverter();

    /// <summary>Backoff between attempts to ensure <c>CT_RAW</c> and the KV buckets.</summary>
    public TimeSpan EnsureRetryMin { get; init; } = TimeSpan.FromMilliseconds(500);

    public TimeSpan EnsureRetryMax { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>How long a standalone service drains its connection at stop (in the host, the host's shutdown timeout bounds it).</summary>
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The default instance id: the host name, so a restarted process takes its own leases back at once.</summary>
    public static string DefaultInstanceId => Environment.MachineName;
}

/// <summary>
/// The ingestor's NATS side and lifetime (SPEC §1, §5, §6): waits for the <see cref="NatsConnector"/> to connect (it retries
/// forever while NATS is unreachable; not ready meanwhile), ensures <c>CT_RAW</c> and the KV buckets, runs the
/// <see cref="LogSupervisor"/> over the JetStream publisher, KV checkpoints and KV leases, and on stop lets the followers save
/// their acked checkpoints and release the leases. The connector drains the connection after that: in the host it is
/// registered before this service, so it stops after it; a standalone service stops its own connector last.
/// </summary>
internal sealed class IngestorService : BackgroundService
{
    private readonly IngestorServiceOptions _options;
    private readonly NatsConnector _connector;
    private readonly bool _ownsConnector;
    private readonly NatsReadiness _readiness;
    private readonly ILoggerFactory _loggers;
    private readonly IMeterFactory? _meters;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private volatile KvLogLeases? _leases;
    private volatile LogSupervisor? _supervisor;

    /// <summary>In the host: the connection is the one <c>AddNatsConnection</c> registered.</summary>
    public IngestorService(IngestorServiceOptions options, NatsConnector connector, NatsReadiness readiness, ILoggerFactory loggers,
        IMeterFactory? meters = null, TimeProvider? time = null)
    {
        _options = options;
        _connector = connector;
        _readiness = readiness;
        _loggers = loggers;
        _meters = meters;
        _logger = loggers.CreateLogger<IngestorService>();
        _time = time ?? TimeProvider.System;
    }

    /// <summary>Standalone (tests, bench): opens <see cref="IngestorServiceOptions.Nats"/> through a connector of its own.</summary>
    public IngestorService(IngestorServiceOptions options, NatsReadiness readiness, ILoggerFactory loggers, IMeterFactory? meters = null,
        TimeProvider? time = null)
        : this(options, new NatsConnector(new NatsConnection(options.Nats ?? throw new ArgumentException("a standalone ingestor needs Nats options", nameof(options))),
            loggers.CreateLogger<NatsConnector>()), readiness, loggers, meters, time) =>
        _ownsConnector = true;

    /// <summary>Logs with a lease held by this instance (empty before NATS is reached).</summary>
    public IReadOnlyCollection<string> Leased => _leases?.Held ?? [];

    /// <summary>Logs this instance has a follower (or lease campaign) for.</summary>
    public IReadOnlyCollection<string> Followed => _supervisor?.Followed ?? [];

    public override async Task StartAsync(CancellationToken cancellationToken)
    {
        if (_ownsConnector) await _connector.StartAsync(cancellationToken);
        await base.StartAsync(cancellationToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        try
        {
            await base.StopAsync(cancellationToken);
        }
        finally
        {
            if (_ownsConnector)
            {
                using var drain = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                drain.CancelAfter(_options.DrainTimeout);
                await _connector.StopAsync(drain.Token);
                await _connector.Connection.DisposeAsync();
            }
        }
    }

    public override void Dispose()
    {
        base.Dispose();
        if (_ownsConnector) _connector.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await _connector.WaitConnectedAsync(stoppingToken);
            var backoff = new Backoff(_options.EnsureRetryMin, _options.EnsureRetryMax);
            var js = new NatsJSContext(_connector.Connection);
            var (checkpointsBucket, leasesBucket) = await RetryAsync("ensure CT_RAW and the KV buckets", backoff,
                ct => IngestorStreams.EnsureAsync(js, _options.RawMaxAge, _options.LeaseTtl, ct), stoppingToken);
            _readiness.StreamsEnsured(_connector);
            _logger.LogInformation("stream {Stream} and buckets {Checkpoints}, {Leases} ready; instance id {Instance}",
                JetStreamNames.RawStream, JetStreamNames.CheckpointsBucket, JetStreamNames.LeasesBucket, _options.InstanceId);

            await using var publisher = new JetStreamEntryPublisher(js, _options.Publisher, _loggers, _time);
            var leases = new KvLogLeases(leasesBucket, _options.InstanceId, _options.LeaseTtl, _loggers, _time);
            _leases = leases;
            using var supervisor = LogSupervisor.Create(_options.Settings, publisher, new KvCheckpointStore(checkpointsBucket), _options.TileLeaves,
                LogKey.FromUrl, _loggers, _meters, _time, leases);
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
            _readiness.Stopped();
        }
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
