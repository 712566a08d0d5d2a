namespace Certstream.Nats.KeyValue;

/// <summary>The <c>KV-Operation</c> header of a revision (§4).</summary>
public enum NatsKVOperation
{
    Put,
    Delete,
    Purge,
}
