using Certstream.Hosting.Configuration;
using Certstream.Hosting.Messaging;
using Certstream.Nats;
using Microsoft.Extensions.Logging.Abstractions;

namespace Certstream.Parser.Pipeline;

/// <summary>
/// For tests and benchmarks: the parser in-process without the web host, composed as Program.cs composes it (the shared
/// <see cref="NatsConnector"/> and the <see cref="ParserService"/>), started and stopped in the host's order.
/// </summary>
internal sealed class ParserHost : IAsyncDisposable
{
    private readonly NatsConnection _connection;
    private readonly NatsConnector _connector;
    private readonly ParserService _service;

    public ParserHost(CertstreamConfig config, ParserMetrics metrics, TimeSpan pendingRefresh)
    {
        ArgumentNullException.ThrowIfNull(config);
        _connection = new NatsConnection(config.Nats.ToNatsOpts("certstream-parser"));
        _connector = new NatsConnector(_connection, NullLogger<NatsConnector>.Instance);
        _service = new ParserService(_connector, config, metrics, NullLogger<ParserService>.Instance, pendingRefresh);
    }

    /// <inheritdoc cref="ParserService.NotReadyReason"/>
    public string? NotReadyReason => _service.NotReadyReason;

    /// <inheritdoc cref="ParserService.Handled"/>
    public long Handled => _service.Handled;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await _connector.StartAsync(cancellationToken);
        await _service.StartAsync(cancellationToken);
    }

    /// <summary>As the host stops them, in reverse order: the parser finishes and flushes its acks, then the connection drains.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        await _service.StopAsync(cancellationToken);
        await _connector.StopAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        _service.Dispose();
        _connector.Dispose();
        await _connection.DisposeAsync();
    }
}
