using System.Text;

namespace Certstream.Nats.Tests;

internal static class TestHelpers
{
    public static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    /// <summary>Test options: echo on, so one connection can publish to its own subscriptions.</summary>
    public static NatsOpts Opts(string url, string name = "test") => new()
    {
        Url = url,
        Name = name,
        RandomizeServers = false,
        Echo = true,
    };

    public static async Task<NatsConnection> ConnectAsync(string url, Func<NatsOpts, NatsOpts>? configure = null)
    {
        var opts = Opts(url);
        if (configure is not null) opts = configure(opts);
        var conn = new NatsConnection(opts);
        await conn.ConnectAsync();
        return conn;
    }

    public static byte[] Bytes(string s) => Encoding.UTF8.GetBytes(s);

    public static string Text(NatsMsg msg) => Encoding.UTF8.GetString(msg.Data.Span);

    public static async Task<NatsMsg> NextAsync(this NatsSubscription sub, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? Wait);
        return await sub.Msgs.ReadAsync(cts.Token);
    }

    /// <summary>Completes with the args of the next raise of an event.</summary>
    public static Task<T> Next<T>(Action<EventHandler<T>> subscribe)
    {
        var tcs = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        subscribe((_, e) => tcs.TrySetResult(e));
        return tcs.Task;
    }
}
