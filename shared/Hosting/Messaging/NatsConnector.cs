using Certstream.Hosting.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NATS.Client.Core;

namespace Certstream.Hosting.Messaging;

/// <summary>
/// Owns the service's one NATS.Net connection. The first connect is retried with backoff and jitter until it succeeds, so
/// a service started before NATS waits and reports not-ready instead of exiting (README "Configuration"); after that
/// NATS.Net's own reconnect loop takes over, over every server of <c>nats.url</c>. It logs the connection's events
/// itself, one line each, and a failing connect or reconnect once per change of reason, naming the servers and the way
/// of authenticating. At shutdown a PING round trip makes sure the server has every publish and ack written before
/// (within <see cref="StopBudget"/>), then the connection closes.
/// </summary>
public sealed class NatsConnector : BackgroundService
{
    private static readonly TimeSpan FirstRetry = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan MaxRetry = TimeSpan.FromSeconds(5);

    /// <summary>A server that stopped answering (but kept the socket open) must not hold the shutdown for the host's whole timeout.</summary>
    private static readonly TimeSpan StopBudget = TimeSpan.FromSeconds(5);

    private readonly TaskCompletionSource _connected = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly NatsClientLog _clientLog;
    private readonly string _auth;
    private readonly Lock _gate = new();
    private string? _lastReconnectError;
    private string? _lastServerError;
    private readonly ILogger<NatsConnector> _logger;

    /// <param name="clientMetrics">Taken so that the client's traffic is counted from the first connect on.</param>
    public NatsConnector(NatsConnection connection, NatsOptions options, NatsClientLog clientLog, NatsClientMetrics clientMetrics, ILogger<NatsConnector> logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(clientMetrics);
        ArgumentNullException.ThrowIfNull(connection);
        _auth = options.AuthMethod();
        Connection = connection;
        _clientLog = clientLog;
        _logger = logger;
        connection.ConnectionDisconnected += (_, e) => Log(() => _logger.LogWarning("lost the connection to NATS {Url}; reconnecting", e.Message));
        connection.ConnectionOpened += (_, e) => Log(() =>
        {
            lock (_gate) _lastReconnectError = _lastServerError = null;
            if (_connected.Task.IsCompleted) _logger.LogInformation("reconnected to NATS {Url}", e.Message);
        });
        connection.ReconnectFailed += (_, _) => Log(() =>
        {
            var error = _clientLog.LastConnectError ?? "unknown reason";
            lock (_gate)
            {
                if (error == _lastReconnectError) return;
                _lastReconnectError = error;
            }
            _logger.LogWarning("cannot reconnect to NATS {Urls} with {Auth}: {Error}; retrying", Connection.Opts.Url, _auth, error);
        });
        connection.LameDuckModeActivated += (_, e) => Log(() => _logger.LogInformation("NATS {Url} is entering lame duck mode; moving to another server", e.Uri));
        connection.SlowConsumerDetected += (_, e) => Log(() =>
            _logger.LogWarning("messages on {Subject} are dropped: the service does not keep up (slow consumer)", e.Subscription.Subject));
        connection.ServerError += (_, e) => Log(() =>
        {
            // While connecting, the server's -ERR is the reason the connect lines give; afterwards (e.g. a permissions
            // violation) it is logged once per change of error.
            if (!IsConnected) return;
            lock (_gate)
            {
                if (e.Error == _lastServerError) return;
                _lastServerError = e.Error;
            }
            _logger.LogWarning("NATS server error: {Error}", e.Error);
        });
    }

    public NatsConnection Connection { get; }

    /// <summary>True while the connection is open (the readiness check).</summary>
    public bool IsConnected => Connection.ConnectionState == NatsConnectionState.Open;

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
                // NATS.Net's connect takes no token; one attempt is bounded by its ConnectTimeout per server.
                await Connection.ConnectAsync().AsTask().WaitAsync(stoppingToken);
                _logger.LogInformation("connected to NATS at {Url} as {Name}", Connection.ServerInfo?.Host is { } host ? $"{host}:{Connection.ServerInfo.Port}" : Connection.Opts.Url,
                    Connection.Opts.Name);
                _connected.TrySetResult();
                return;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (NatsException e)
            {
                // One line per change of error, not per attempt: a long outage must not flood the log. The client's own
                // reason (refused, timed out, an authorization violation) is more telling than its summary.
                var error = e.InnerException is not null ? NatsClientLog.Describe(e) : _clientLog.LastConnectError ?? e.Message;
                if (error != lastError)
                    _logger.LogWarning("cannot connect to NATS {Urls} with {Auth}: {Error}; retrying", Connection.Opts.Url, _auth, error);
                lastError = error;
            }
            try
            {
                await Task.Delay(delay + TimeSpan.FromMilliseconds(Random.Shared.Next(0, 100)), stoppingToken);
            }
            catch (OperationCanceledException)
            {
                break;
            }
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, MaxRetry.Ticks));
        }
        _connected.TrySetCanceled(stoppingToken);
    }

    private static ValueTask Log(Action write)
    {
        write();
        return ValueTask.CompletedTask;
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        if (IsConnected)
        {
            try
            {
                using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                bounded.CancelAfter(StopBudget);
                await Connection.PingAsync(bounded.Token);
            }
            catch (Exception e) when (e is NatsException or OperationCanceledException or TimeoutException)
            {
                _logger.LogWarning("NATS did not confirm the last writes at shutdown: {Error}", e.Message);
            }
        }
        await Connection.DisposeAsync();
    }
}
