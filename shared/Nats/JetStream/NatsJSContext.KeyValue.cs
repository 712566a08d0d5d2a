using Certstream.Nats.KeyValue;

namespace Certstream.Nats.JetStream;

public sealed partial class NatsJSContext
{
    /// <summary>Creates the bucket; 10058 when it exists with a different config.</summary>
    public async ValueTask<NatsKVStore> CreateKeyValueAsync(NatsKVConfig config, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(config);
        var info = await CreateStreamAsync(config.ToStreamConfig(), cancellationToken).ConfigureAwait(false);
        return new NatsKVStore(this, config.Bucket, info.Config.AllowDirect);
    }

    /// <summary>Creates the bucket or brings its config to this one (<see cref="EnsureStreamAsync"/>).</summary>
    public async ValueTask<NatsKVStore> EnsureKeyValueAsync(NatsKVConfig config, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(config);
        var info = await EnsureStreamAsync(config.ToStreamConfig(), cancellationToken).ConfigureAwait(false);
        return new NatsKVStore(this, config.Bucket, info.Config.AllowDirect);
    }

    /// <summary>Binds to an existing bucket (10059 when there is none).</summary>
    public async ValueTask<NatsKVStore> GetKeyValueAsync(string bucket, CancellationToken cancellationToken = default)
    {
        NatsKVStore.ValidateBucket(bucket);
        var info = await GetStreamAsync("KV_" + bucket, cancellationToken).ConfigureAwait(false);
        return new NatsKVStore(this, bucket, info.Config.AllowDirect);
    }

    public ValueTask<bool> DeleteKeyValueAsync(string bucket, CancellationToken cancellationToken = default)
    {
        NatsKVStore.ValidateBucket(bucket);
        return DeleteStreamAsync("KV_" + bucket, cancellationToken);
    }
}
