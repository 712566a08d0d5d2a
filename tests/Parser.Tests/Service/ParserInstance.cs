using Certstream.Hosting.Configuration;
using Certstream.Parser.Pipeline;
using Certstream.TestSupport;

namespace Certstream.Parser.Tests.Service;

/// <summary>The parser in-process, composed as Program.cs composes it (<c>AddParser</c>), started and stopped like a host.</summary>
internal sealed class ParserInstance(CertstreamConfig config, ParserTuning tuning) : IAsyncDisposable
{
    private InProcessService? _host;

    public InProcessService Host => _host ?? throw new InvalidOperationException("not started");

    /// <inheritdoc cref="ParserService.NotReadyReason"/>
    public string? NotReadyReason => Host.Get<ParserService>().NotReadyReason;

    /// <inheritdoc cref="ParserService.Handled"/>
    public long Handled => Host.Get<ParserService>().Handled;

    public async Task StartAsync(CancellationToken cancellationToken) =>
        _host = await InProcessService.StartAsync("parser", config, builder => builder.AddParser(tuning), cancellationToken: cancellationToken);

    /// <summary>As the host stops them, in reverse order: the parser finishes and its acks reach the server, then the connection closes.</summary>
    public Task StopAsync(CancellationToken cancellationToken) => _host?.StopAsync() ?? Task.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        if (_host is not null) await _host.DisposeAsync();
    }
}
