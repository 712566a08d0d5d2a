using NATS.Client.Core;

namespace Certstream.TestSupport;

/// <summary>NATS.Net connections for tests: named, reconnecting quickly, connected before they are returned.</summary>
public static class NatsClients
{
    public static NatsOpts Options(string url, string name = "test") => NatsOpts.Default with
    {
        Url = url,
        Name = name,
        ReconnectWaitMin = TimeSpan.FromMilliseconds(50),
        ReconnectWaitMax = TimeSpan.FromMilliseconds(200),
    };

    public static async Task<NatsConnection> ConnectAsync(string url, string name = "test")
    {
        var connection = new NatsConnection(Options(url, name));
        try
        {
            await connection.ConnectAsync().ConfigureAwait(false);
        }
        catch
        {
            await connection.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        return connection;
    }
}
