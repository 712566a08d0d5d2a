using NATS.Client.JetStream;

namespace Certstream.Contracts;

/// <summary>
/// One line for an operator when the server refuses a stream or bucket config of <see cref="JetStreamConfigs"/>: the server's
/// reason, and for the refusals <c>nats.replicas</c> causes, what to do (README "A NATS cluster").
/// </summary>
public static class JetStreamRefusal
{

    /// <summary>E.g. <c>CT_RAW: replicas &gt; 1 not supported in non-clustered mode (10074): the server is not clustered; set nats.replicas: 1, …</c></summary>
    public static string Describe(string name, NatsJSApiException refusal, int replicas)
    {
        ArgumentNullException.ThrowIfNull(refusal);
        var error = refusal.Error;
        var advice = error.ErrCode switch
        {
            JetStreamErrors.ReplicasNotSupported => "the server is not clustered; set nats.replicas: 1, or point nats.url at a JetStream cluster",
            JetStreamErrors.NoSuitablePeers or JetStreamErrors.InsufficientResources when replicas > 1 =>
                $"fewer than nats.replicas ({replicas}) JetStream servers of the cluster are up and have room; start the missing servers or lower nats.replicas",
            JetStreamErrors.ReplicasNotUpdatable =>
                $"this server cannot change the replicas of an existing {name}; back it up and delete it (nats stream rm {name}) to have it created with {replicas}, or set nats.replicas to what it has",
            _ => null,
        };
        var reason = $"{name}: {error.Description} ({error.ErrCode})";
        return advice is null ? reason : reason + ": " + advice;
    }

    /// <summary>
    /// Runs <paramref name="ensure"/> (a create-or-update of <paramref name="name"/>); a refusal by the server comes out as a
    /// <see cref="NatsJSException"/> whose message is <see cref="Describe"/>'s line. Other failures pass unchanged.
    /// </summary>
    public static async ValueTask<T> EnsureAsync<T>(string name, int replicas, Func<ValueTask<T>> ensure)
    {
        ArgumentNullException.ThrowIfNull(ensure);
        try
        {
            return await ensure();
        }
        catch (NatsJSApiException e)
        {
            throw new NatsJSException(Describe(name, e, replicas), e);
        }
    }
}
