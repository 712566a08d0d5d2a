using Certstream.Hosting.Messaging;
using Certstream.Hosting.Configuration;
using Certstream.Nats;
using Certstream.Nats.JetStream;
using Certstream.Contracts;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Certstream.Parser.Pipeline;

/// <summary>
/// The parser's life (SPEC §1, §6): wait for the shared <see cref="NatsConnector"/> to connect (it retries while NATS is
/// unreachable), bind the shared consumer, run the <see cref="ParserPipeline"/>, and re-bind after a failure. SIGTERM stops
/// fetching, finishes what was fetched and flushes its acks; then the connector, stopped after this service (the host stops
/// services in reverse order), drains the connection. After a stop budget of 5 s (or the host's shutdown timeout) what is
/// left is abandoned, and JetStream redelivers it.
/// </summary>
internal sealed class ParserService : BackgroundService
{
    private static readonly TimeSpan RetryMin = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan RetryMax = TimeSpan.FromSeconds(5);

    /// <summary>How long a stop may take to finish the fetched entries and flush their acks; what is left is redelivered.</summary>
    private static readonly TimeSpan StopBudget = TimeSpan.FromSeconds(5);

    private readonly NatsConnector _connector;
    private readonly TimeSpan _rawMaxAge;
    private readonly ParserMetrics _metrics;
    private readonly ILogger _logger;
    private readonly ParserPipeline _pipeline;
    private readonly CancellationTokenSource _abort = new();
    private readonly TimeSpan _pendingRefresh;
    private volatile bool _bound;

    public ParserService(NatsConnector connector, CertstreamConfig config, ParserMetrics metrics, ILogger<ParserService> logger)
        : this(connector, config, metrics, logger, TimeSpan.FromSeconds(5))
    {
    }

    /// <param name="pendingRefresh">How often <c>certstream.parser.consumer_pending</c> is refreshed from consumer info.</param>
    public ParserService(NatsConnector connector, CertstreamConfig config, ParserMetrics metrics, ILogger<ParserService> logger, TimeSpan pendingRefresh)
    {
        ArgumentNullException.ThrowIfNull(connector);
        ArgumentNullException.ThrowIfNull(config);
        _connector = connector;
        _rawMaxAge = config.Ingestor.RawMaxAge;
        _metrics = metrics;
        _logger = logger;
        _pendingRefresh = pendingRefresh;
        _pipeline = new ParserPipeline(connector.Connection, metrics, logger, config.Parser.EffectiveConcurrency, config.Parser.FetchBatch);
    }

    /// <summary>Why the service is not ready, or null when it is connected with the consumer bound.</summary>
    public string? NotReadyReason =>
        !_connector.IsConnected ? "not connected to NATS"
        : !_bound ? $"consumer {JetStreamNames.ParserConsumer} on {JetStreamNames.RawStream} not bound"
        : null;

    /// <summary>Entries this replica has acked or terminated.</summary>
    public long Handled => _pipeline.Handled;

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        // Finishing what was fetched takes milliseconds while NATS answers; a server that stopped answering must not hold
        // the stop for the host's whole shutdown timeout (which also cancels this token): then give up on in-flight work.
        _abort.CancelAfter(StopBudget);
        await using var registration = cancellationToken.Register(static s => ((CancellationTokenSource)s!).Cancel(), _abort);
        await base.StopAsync(cancellationToken);
    }

    public override void Dispose()
    {
        _pipeline.Dispose();
        _abort.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await _connector.WaitConnectedAsync(stoppingToken);
            var js = new NatsJSContext(_connector.Connection);
            var pending = RefreshPendingAsync(js, stoppingToken);
            await ConsumeAsync(js, stoppingToken);
            await pending;
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopped while connecting, binding or backing off: nothing is in flight.
        }
        finally
        {
            _bound = false;
        }
    }

    private async Task ConsumeAsync(NatsJSContext js, CancellationToken stoppingToken)
    {
        var retry = RetryMin;
        while (!stoppingToken.IsCancellationRequested)
        {
            NatsJSConsumer consumer;
            try
            {
                consumer = await RawTopology.EnsureAsync(js, _rawMaxAge, stoppingToken);
            }
            catch (NatsException e)
            {
                _logger.LogWarning("Cannot bind consumer {Consumer} on {Stream}, retrying in {Retry}: {Error}",
                    JetStreamNames.ParserConsumer, JetStreamNames.RawStream, retry, e.Message);
                await Task.Delay(retry, stoppingToken);
                retry = Next(retry);
                continue;
            }
            _bound = true;
            retry = RetryMin;
            _logger.LogInformation("Consuming {Stream} with consumer {Consumer}: {Pending} entries pending",
                JetStreamNames.RawStream, JetStreamNames.ParserConsumer, consumer.Info.NumPending);

            var failure = await _pipeline.RunAsync(consumer, stoppingToken, _abort.Token);
            _bound = false;
            if (failure is not null)
            {
                _logger.LogWarning("Fetching from {Stream} failed, binding again in {Retry}: {Error}", JetStreamNames.RawStream, retry, failure.Message);
                await Task.Delay(retry, stoppingToken);
                retry = Next(retry);
            }
        }
    }

    private async Task RefreshPendingAsync(NatsJSContext js, CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_pendingRefresh);
        try
        {
            do
            {
                if (!_bound)
                    continue;
                try
                {
                    var info = await js.GetConsumerInfoAsync(JetStreamNames.RawStream, JetStreamNames.ParserConsumer, stoppingToken);
                    _metrics.ConsumerPending(info.NumPending);
                }
                catch (NatsException e)
                {
                    _logger.LogDebug("Consumer info unavailable: {Error}", e.Message);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private static TimeSpan Next(TimeSpan retry) => retry * 2 < RetryMax ? retry * 2 : RetryMax;
}
