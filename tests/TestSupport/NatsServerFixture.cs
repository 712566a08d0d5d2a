using Xunit;

namespace Certstream.TestSupport;

/// <summary>
/// xunit fixture: one nats-server with JetStream for a test class (or collection), or the server
/// named by NATS_URL when that is set. Tests that kill the server must start their own NatsServer.
/// </summary>
public sealed class NatsServerFixture : IAsyncLifetime
{
    private NatsServer? _server;

    /// <summary>The URL clients connect to.</summary>
    public string Url { get; private set; } = "";

    /// <summary>The process this fixture started, or null when NATS_URL points at an external server.</summary>
    public NatsServer? Server => _server;

    public async Task InitializeAsync()
    {
        var external = Environment.GetEnvironmentVariable("NATS_URL");
        if (!string.IsNullOrWhiteSpace(external))
        {
            Url = external;
            return;
        }
        _server = await NatsServer.StartAsync().ConfigureAwait(false);
        Url = _server.Url;
    }

    public async Task DisposeAsync()
    {
        if (_server is not null) await _server.DisposeAsync().ConfigureAwait(false);
    }
}
