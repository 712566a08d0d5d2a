namespace Certstream.TestSupport;

/// <summary>
/// One nats-server for a whole test assembly, for tests that need NATS present but not a server of their own:
/// $NATS_URL when set, else a process started on first use and killed when the test process exits.
/// </summary>
public static class SharedNats
{
    private static readonly Lazy<Task<string>> Url = new(StartAsync);

    public static Task<string> UrlAsync() => Url.Value;

    private static async Task<string> StartAsync()
    {
        var fromEnv = Environment.GetEnvironmentVariable("NATS_URL");
        if (!string.IsNullOrEmpty(fromEnv)) return fromEnv;
        var server = await NatsServer.StartAsync().ConfigureAwait(false);
        AppDomain.CurrentDomain.ProcessExit += (_, _) => server.DisposeAsync().AsTask().GetAwaiter().GetResult();
        return server.Url;
    }
}
