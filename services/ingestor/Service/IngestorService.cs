using System.Diagnostics.Metrics;
using Certstream.Contracts;
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
internal sealed record IngestorServiceOptions(IngestorSettings Settings, NatsOpts Nats, TimeSpan RawMaxAge, string InstanceId)
{
    public TimeSpan LeaseTtl { get; init; } = IngestorStreams.DefaultLeaseTtl;
    public JetStreamPublisherSettings Publisher { get; init; } = new();
    public ITileLeafSource TileLeaves { get; init; } = new TiledLeafConverter();
    public TimeSpan ConnectRetryMin { get; init; } = TimeSpan.FromMilliseconds(500);
    public TimeSpan ConnectRetryMax { get; init; } = TimeSpan.FromSeconds(5);
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The default instance id: the host name, so a restarted process takes its own leases back at once.</summary>
    public static string DefaultInstanceId => Environment.MachineName;
}

/// <summary>
/// The ingestor's NATS side and lifetime (SPEC §1, §5, §6): connects (retrying forever while NATS is unreachable, not ready
/// meanwhile), ensures <c>CT_RAW</c> and the KV buckets, runs the <see cref="LogSupervisor"/> over the JetStream publisher,
/// KV checkpoints and KV leases, and on stop lets the followers save their acked checkpoints, releases the leases and
/// drains the connection.
/// </summary>
internal sealed class IngestorService(IngestorServiceOptions options, NatsReadiness readiness, ILoggerFactory loggers, IMeterFactory? meters = null,
    TimeProvider? time = null) : BackgroundService
{
    private readonly ILogger _logger = loggers.CreateLogger<IngestorService>();
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private volatile KvLogLeases? _leases;
    private volatile LogSupervisor? _supervisor;

    /// <summary>Logs with a lease held by this instance (empty before NATS is reached).</summary>
    public IReadOnlyCollection<string> Leased => _leases?.Held ?? [];

    /// <summary>Logs this instance has a follower (or lease campaign) for.</summary>
    public IReadOnlyCollection<string> Followed => _supervisor?.Followed ?? [];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var backoff = new Backoff(options.ConnectRetryMin, options.ConnectRetryMax);
        await using var connection = new NatsConnection(options.Nats);
        try
        {
            await RetryAsync("connect to NATS", backoff, async ct =>
            {
                await connection.ConnectAsync(ct);
                return true;
            }, stoppingToken);
            readiness.Connected(connection);
            _logger.LogInformation("connected to NATS at {Url}", connection.ConnectedUrl);
            var js = new NatsJSContext(connection);
            var (checkpointsBucket, leasesBucket) = await RetryAsync("ensure CT_RAW and the KV buckets", backoff,
                ct => IngestorStreams.EnsureAsync(js, options.RawMaxAge, options.LeaseTtl, ct), stoppingToken);
            readiness.StreamsEnsured();
            _logger.LogInformation("stream {Stream} and buckets {Checkpoints}, {Leases} ready; instance id {Instance}",
                JetStreamNames.RawStream, JetStreamNames.CheckpointsBucket, JetStreamNames.LeasesBucket, options.InstanceId);

            await using var publisher = new JetStreamEntryPublisher(js, options.Publisher, loggers, _time);
            var leases = new KvLogLeases(leasesBucket, options.InstanceId, options.LeaseTtl, loggers, _time);
            _leases = leases;
            using var supervisor = LogSupervisor.Create(options.Settings, publisher, new KvCheckpointStore(checkpointsBucket), options.TileLeaves,
                LogKey.FromUrl, loggers, meters, _time, leases);
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
            readiness.Stopped();
            if (connection.State == NatsConnectionState.Open)
            {
                using var drain = new CancellationTokenSource(options.DrainTimeout);
                try
                {
                    await connection.DrainAsync(drain.Token);
                }
                catch (Exception e) when (e is OperationCanceledException or NatsException)
                {
                    _logger.LogWarning("NATS connection not drained: {Error}", e.Message);
                }
            }
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
