using Certstream.Nats;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Certstream.Hosting.Messaging;

/// <summary>
/// Owns the service's one NATS connection. The first connect is retried with backoff until it succeeds, so a
/// service started before NATS waits and reports not-ready instead of exiting (issue [6]); after that the
/// client's own reconnect loop takes over. At shutdown the connection is drained (pending publishes flushed).
/// </summary>
public sealed class NatsConnector : BackgroundService
{
    private static readonly TimeSpan FirstRetry = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan MaxRetry = TimeSpan.FromSeconds(5);

    // A server that stopped answering (but kept the socket open) must not hold the shutdown for the host's whole timeout.
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(5);

    private readonly TaskCompletionSource _connected = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ILogger<NatsConnector> _logger;

    public NatsConnector(NatsConnection connection, ILogger<NatsConnector> logger)
    {
        Connection = connection;
        _logger = logger;
    }

    public NatsConnection Connection { get; }

    /// <summary>True while the connection is open (the readiness check).</summary>
    public bool IsConnected => Connection.State == NatsConnectionState.Open;

    /// <summary>Completes once the first connect succeeded; cancelled with <paramref name="cancellationToken"/>.</summary>
    public Task WaitConnectedAsync(CancellationToken cancellationToken) => _connected.Task.WaitAsync(cancellationToken);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var delay = FirstRetry;
        string? lastError = null;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Connection.ConnectAsync(stoppingToken).ConfigureAwait(false);
                _logger.LogInformation("connected to NATS at {Url}", Connection.ConnectedUrl);
                _connected.TrySetResult();
                return;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (NatsException e)
            {
                // One line per change of error, not per attempt: a long outage must not flood the log.
                if (e.Message != lastError) _logger.LogWarning("NATS not reachable, retrying: {Error}", e.Message);
                lastError = e.Message;
            }
            try
            {
                await Task.Delay(delay + TimeSpan.FromMilliseconds(Random.Shared.Next(0, 100)), stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxRetry.Ticks));
        }
        _connected.TrySetCanceled(stoppingToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken).ConfigureAwait(false);
        if (IsConnected)
        {
            try
            {
                using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                bounded.CancelAfter(DrainTimeout);
                await Connection.DrainAsync(bounded.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is NatsException or OperationCanceledException)
            {
                _logger.LogWarning("NATS drain at shutdown did not finish: {Error}", e.Message);
            }
        }
    }
}
