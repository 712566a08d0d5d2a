using System.Buffers;
using System.Numerics;
using MessagePack;

namespace Certstream.Contracts.Tests;

/// <summary>
/// A generic model of MessagePack values, to look at what the codec wrote without the codec: null, bool, BigInteger,
/// double, string, byte[], List&lt;object?&gt;, List&lt;KeyValuePair&lt;object?, object?&gt;&gt;.
/// </summary>
internal static class MessagePackValue
{
    public static object? Decode(byte[] bytes, out int consumed)
    {
        var reader = new MessagePackReader(bytes);
        var value = Read(ref reader);
        consumed = (int)reader.Consumed;
        return value;
    }

    private static object? Read(ref MessagePackReader reader)
    {
        switch (reader.NextMessagePackType)
        {
            case MessagePackType.Nil:
                reader.ReadNil();
                return null;
            case MessagePackType.Boolean:
                return reader.ReadBoolean();
            case MessagePackType.Integer:
                return reader.NextCode == MessagePackCode.UInt64 ? new BigInteger(reader.ReadUInt64()) : new BigInteger(reader.ReadInt64());
            case MessagePackType.Float:
                return reader.ReadDouble();
            case MessagePackType.String:
                return reader.ReadString();
            case MessagePackType.Binary:
                return reader.ReadBytes()!.Value.ToArray();
            case MessagePackType.Array:
                var count = reader.ReadArrayHeader();
                var list = new List<object?>(count);
                for (var i = 0; i < count; i++)
                    list.Add(Read(ref reader));
                return list;
            case MessagePackType.Map:
                var pairs = reader.ReadMapHeader();
                var map = new List<KeyValuePair<object?, object?>>(pairs);
                for (var i = 0; i < pairs; i++)
                {
                    var key = Read(ref reader);
                    map.Add(new(key, Read(ref reader)));
                }
                return map;
            default:
                throw new MessagePackSerializationException($"no test model for {reader.NextMessagePackType}");
        }
    }
}
