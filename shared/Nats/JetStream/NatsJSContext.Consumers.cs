using Certstream.Nats.JetStream.Internal;
using Certstream.Nats.JetStream.Models;

namespace Certstream.Nats.JetStream;

public sealed partial class NatsJSContext
{
    /// <summary>
    /// Creates a durable pull consumer, or updates it when it exists (2.9 create-or-update semantics, §3.6), with the 2.9
    /// subject <c>CONSUMER.CREATE.&lt;stream&gt;.&lt;name&gt;</c>. Changing a policy the server cannot update gives 10012.
    /// </summary>
    public async ValueTask<NatsJSConsumer> CreateOrUpdateConsumerAsync(string stream, ConsumerConfig config, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(config);
        ValidateName(stream, nameof(stream));
        var name = config.DurableName ?? config.Name ?? throw new ArgumentException("A durable consumer needs DurableName", nameof(config));
        ValidateName(name, nameof(config));
        var body = Serialize(new ConsumerCreateRequest { StreamName = stream, Config = config }, NatsJSJsonContext.Default.ConsumerCreateRequest);
        var info = await RequestAsync(ApiSubject("CONSUMER.CREATE." + stream + "." + name), body, NatsJSJsonContext.Default.ConsumerInfo, cancellationToken).ConfigureAwait(false);
        return new NatsJSConsumer(this, info);
    }

    /// <summary>Throws <see cref="NatsJSApiException"/> with 10014 when the consumer does not exist.</summary>
    public async ValueTask<NatsJSConsumer> GetConsumerAsync(string stream, string name, CancellationToken cancellationToken = default) =>
        new(this, await GetConsumerInfoAsync(stream, name, cancellationToken).ConfigureAwait(false));

    public ValueTask<ConsumerInfo> GetConsumerInfoAsync(string stream, string name, CancellationToken cancellationToken = default)
    {
        ValidateName(stream, nameof(stream));
        ValidateName(name, nameof(name));
        return RequestAsync(ApiSubject("CONSUMER.INFO." + stream + "." + name), ReadOnlyMemory<byte>.Empty, NatsJSJsonContext.Default.ConsumerInfo, cancellationToken);
    }

    /// <summary>True when deleted; false when there was no such consumer.</summary>
    public async ValueTask<bool> DeleteConsumerAsync(string stream, string name, CancellationToken cancellationToken = default)
    {
        ValidateName(stream, nameof(stream));
        ValidateName(name, nameof(name));
        try
        {
            var r = await RequestAsync(ApiSubject("CONSUMER.DELETE." + stream + "." + name), ReadOnlyMemory<byte>.Empty, NatsJSJsonContext.Default.SuccessResponse, cancellationToken).ConfigureAwait(false);
            return r.Success;
        }
        catch (NatsJSApiException e) when (e.ErrCode == NatsJSErrorCodes.ConsumerNotFound)
        {
            return false;
        }
    }
}
