using Certstream.Contracts;
using Certstream.Hosting.Configuration;
using Certstream.Hosting.Messaging;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using NATS.Client.Core;
using NATS.Client.JetStream;

namespace Certstream.Parser.Pipeline;

/// <summary>
/// The parser's life (README "Architecture"): wait for the shared <see cref="NatsConnector"/> to connect (it retries while NATS is
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
    private readonly OutputTopology _outputs;
    private readonly CancellationTokenSource _abort = new();
    private readonly TimeSpan _pendingRefresh;
    private readonly int _replicas;
    private volatile string? _consumerProblem;
    private volatile bool _bound;

    public ParserService(NatsConnector connector, CertstreamConfig config, ParserTuning tuning, ParserMetrics metrics, ILogger<ParserService> logger)
    {
        ArgumentNullException.ThrowIfNull(connector);
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(tuning);
        _connector = connector;
        _rawMaxAge = config.Ingestor.RawMaxAge;
        _metrics = metrics;
        _logger = logger;
        _pendingRefresh = tuning.PendingRefresh;
        _replicas = config.Nats.Replicas;
        _outputs = new OutputTopology(config.History, config.Unique, _replicas, logger);
        _pipeline = new ParserPipeline(connector.Connection, metrics, logger, config.Parser.EffectiveConcurrency, config.Parser.FetchBatch, _outputs);
    }

    /// <summary>Why the service is not ready, or null when it is connected with the consumer bound.</summary>
    public string? NotReadyReason =>
        !_connector.IsConnected ? "not connected to NATS"
        : !_bound ? $"consumer {JetStreamNames.ParserConsumer} on {JetStreamNames.RawStream} not bound"
        : _consumerProblem is { } unanswered ? $"consumer {JetStreamNames.ParserConsumer} on {JetStreamNames.RawStream} does not answer ({unanswered})"
        : _pipeline.PublishProblem is { } problem ? $"publishing fails ({problem}); entries wait in {JetStreamNames.RawStream}"
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
            await ConsumeAsync(js, stoppingToken);
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
            INatsJSConsumer consumer;
            try
            {
                consumer = await RawTopology.EnsureAsync(js, _rawMaxAge, _replicas, stoppingToken);
                await _outputs.EnsureAsync(js, stoppingToken);
            }
            catch (Exception e) when (e is NatsException or TimeoutException)
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

            using var refreshing = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            var pending = RefreshPendingAsync(consumer, refreshing.Token);
            var failure = await _pipeline.RunAsync(consumer, stoppingToken, _abort.Token);
            _bound = false;
            _consumerProblem = null;
            await refreshing.CancelAsync();
            await pending;
            if (failure is not null)
            {
                _logger.LogWarning("Fetching from {Stream} failed, binding again in {Retry}: {Error}", JetStreamNames.RawStream, retry, failure.Message);
                await Task.Delay(retry, stoppingToken);
                retry = Next(retry);
            }
        }
    }

    /// <summary>Refreshes <c>certstream_parser_consumer_pending</c> from consumer info while the consumer is bound.</summary>
    private async Task RefreshPendingAsync(INatsJSConsumer consumer, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(_pendingRefresh);
        try
        {
            do
            {
                try
                {
                    await consumer.RefreshAsync(cancellationToken);
                    _metrics.ConsumerPending(consumer.Info.NumPending);
                    if (_consumerProblem is not null) _logger.LogInformation("Consumer {Consumer} answers again", JetStreamNames.ParserConsumer);
                    _consumerProblem = null;
                }
                catch (Exception e) when (e is NatsException or TimeoutException)
                {
                    // E.g. CT_RAW without a leader (a cluster that lost its quorum): fetches just come back empty, so this is what tells.
                    if (_consumerProblem is null)
                        _logger.LogWarning("Consumer {Consumer} on {Stream} does not answer: {Error}; not ready until it does", JetStreamNames.ParserConsumer, JetStreamNames.RawStream, e.Message);
                    _consumerProblem = e.Message;
                }
            }
            while (await timer.WaitForNextTickAsync(cancellationToken));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    private static TimeSpan Next(TimeSpan retry) => retry * 2 < RetryMax ? retry * 2 : RetryMax;
}
