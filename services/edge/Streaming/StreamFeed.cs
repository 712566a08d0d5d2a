using Certstream.Contracts;
using Certstream.Hosting.Messaging;
using NATS.Client.Core;

namespace Certstream.Edge;

/// <summary>
/// Feeds the parser's messages (<c>certstream.{full,lite,domains}.&lt;log&gt;</c>, README "NATS subjects") into the
/// <see cref="StreamHub"/>. NATS.Net hands each payload over as an array of its own, so the hub can give the same array
/// to every client. Each stream has its own subscription and reader, so a burst on one never queues behind another.
/// </summary>
internal sealed class StreamFeed(NatsConnector connector, StreamHub hub, ILogger<StreamFeed> logger) : BackgroundService
{
    private volatile bool _subscribed;

    /// <summary>True once all three subscriptions are in place (part of readiness).</summary>
    public bool IsSubscribed => _subscribed;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await connector.WaitConnectedAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        (StreamKind Kind, string Subject)[] streams =
        [
            (StreamKind.Full, Subjects.AllFull),
            (StreamKind.Lite, Subjects.AllLite),
            (StreamKind.Domains, Subjects.AllDomains),
        ];
        var subscriptions = new List<INatsSub<byte[]>>();
        try
        {
            foreach (var (_, subject) in streams)
                subscriptions.Add(await connector.Connection.SubscribeCoreAsync<byte[]>(subject, cancellationToken: stoppingToken));
            _subscribed = true;
            logger.LogInformation("subscribed to {Subjects}", string.Join(" ", streams.Select(s => s.Subject)));
            await Task.WhenAll(streams.Select((s, i) => PumpAsync(s.Kind, subscriptions[i], stoppingToken)));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        finally
        {
            _subscribed = false;
            foreach (var subscription in subscriptions) await subscription.DisposeAsync();
        }
    }

    private async Task PumpAsync(StreamKind kind, INatsSub<byte[]> subscription, CancellationToken cancellationToken)
    {
        var reader = subscription.Msgs;
        while (await reader.WaitToReadAsync(cancellationToken))
        {
            while (reader.TryRead(out var msg))
            {
                if (msg.Data is { } data)
                    hub.Publish(kind, LogOf(msg.Subject), data, msg.Headers);
            }
        }
    }

    // certstream.<stream>.<log>: the log key is the third token (log keys hold no dots).
    private static string LogOf(string subject)
    {
        var second = subject.IndexOf('.', subject.IndexOf('.') + 1);
        return second < 0 ? "" : subject[(second + 1)..];
    }
}
