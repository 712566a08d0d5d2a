using System.Buffers;
using System.Numerics;
using System.Text.Json;
using Certstream.Contracts.MessagePack;

namespace Certstream.Contracts.Tests.MessagePack;

/// <summary>
/// A generic model of MessagePack values for the tests, built on the reader's and writer's primitives:
/// null, bool, BigInteger, double, string, byte[], List&lt;object?&gt;, List&lt;KeyValuePair&lt;object?, object?&gt;&gt;,
/// or <see cref="Extension"/> for a skipped ext value.
/// </summary>
internal static class MessagePackValue
{
    public static readonly object Extension = new();

    public static object? Read(ref MessagePackReader reader, int depth = 0)
    {
        if (depth > MessagePackReader.MaxDepth)
            throw new MessagePackFormatException("too deep for the test model");
        switch (reader.NextType)
        {
            case MessagePackType.Nil:
                reader.ReadNil();
                return null;
            case MessagePackType.Boolean:
                return reader.ReadBoolean();
            case MessagePackType.Integer:
                var copy = reader;
                try
                {
                    return new BigInteger(reader.ReadInt64());
                }
                catch (MessagePackFormatException)
                {
                    reader = copy;
                    return new BigInteger(reader.ReadUInt64());
                }
            case MessagePackType.Float:
                return reader.ReadDouble();
            case MessagePackType.String:
                return reader.ReadString();
            case MessagePackType.Binary:
                return reader.ReadBinary().ToArray();
            case MessagePackType.Array:
                var count = reader.ReadArrayHeader();
                var list = new List<object?>(count);
                for (var i = 0; i < count; i++)
                    list.Add(Read(ref reader, depth + 1));
                return list;
            case MessagePackType.Map:
                var pairs = reader.ReadMapHeader();
                var map = new List<KeyValuePair<object?, object?>>(pairs);
                for (var i = 0; i < pairs; i++)
                {
                    var key = Read(ref reader, depth + 1);
                    map.Add(new(key, Read(ref reader, depth + 1)));
                }
                return map;
            default:
                reader.Skip();
                return Extension;
        }
    }

    public static object? Decode(ReadOnlySpan<byte> bytes, out int consumed)
    {
        var reader = new MessagePackReader(bytes);
        var value = Read(ref reader);
        consumed = reader.Position;
        return value;
    }

    /// <summary>Writes a test-suite JSON value; <paramref name="bignum"/> overrides a number's text.</summary>
    public static byte[] WriteJson(JsonElement value, string kind)
    {
        var output = new ArrayBufferWriter<byte>();
        var writer = new MessagePackWriter(output);
        Write(writer, value, kind);
        return output.WrittenSpan.ToArray();
    }

    private static void Write(MessagePackWriter writer, JsonElement value, string kind)
    {
        switch (kind)
        {
            case "binary":
                writer.WriteBinary(FromDashedHex(value.GetString()!));
                return;
            case "bignum":
                var text = value.GetString()!;
                if (text.StartsWith('-'))
                    writer.WriteInt64(long.Parse(text, System.Globalization.CultureInfo.InvariantCulture));
                else
                    writer.WriteUInt64(ulong.Parse(text, System.Globalization.CultureInfo.InvariantCulture));
                return;
        }
        switch (value.ValueKind)
        {
            case JsonValueKind.Null:
                writer.WriteNil();
                break;
            case JsonValueKind.True or JsonValueKind.False:
                writer.WriteBoolean(value.GetBoolean());
                break;
            case JsonValueKind.Number when value.TryGetInt64(out var integer):
                writer.WriteInt64(integer);
                break;
            case JsonValueKind.Number:
                writer.WriteFloat64(value.GetDouble());
                break;
            case JsonValueKind.String:
                writer.WriteString(value.GetString());
                break;
            case JsonValueKind.Array:
                writer.WriteArrayHeader(value.GetArrayLength());
                foreach (var item in value.EnumerateArray())
                    Write(writer, item, "value");
                break;
            case JsonValueKind.Object:
                writer.WriteMapHeader(value.EnumerateObject().Count());
                foreach (var property in value.EnumerateObject())
                {
                    writer.WriteString(property.Name);
                    Write(writer, property.Value, "value");
                }
                break;
            default:
                throw new InvalidOperationException($"no MessagePack for {value.ValueKind}");
        }
    }

    /// <summary>Whether a decoded value equals a test-suite JSON value (numbers compared by value).</summary>
    public static bool Matches(object? decoded, JsonElement expected, string kind)
    {
        switch (kind)
        {
            case "binary":
                return decoded is byte[] bytes && bytes.AsSpan().SequenceEqual(FromDashedHex(expected.GetString()!));
            case "bignum":
                var big = BigInteger.Parse(expected.GetString()!, System.Globalization.CultureInfo.InvariantCulture);
                return decoded switch
                {
                    BigInteger integer => integer == big,
                    double number => number == (double)big,
                    _ => false,
                };
        }
        switch (expected.ValueKind)
        {
            case JsonValueKind.Null:
                return decoded is null;
            case JsonValueKind.True or JsonValueKind.False:
                return decoded is bool flag && flag == expected.GetBoolean();
            case JsonValueKind.Number:
                return decoded switch
                {
                    BigInteger integer => expected.TryGetInt64(out var e) && integer == e,
                    double number => number == expected.GetDouble(),
                    _ => false,
                };
            case JsonValueKind.String:
                return decoded is string text && text == expected.GetString();
            case JsonValueKind.Array:
                return decoded is List<object?> list
                    && list.Count == expected.GetArrayLength()
                    && list.Zip(expected.EnumerateArray()).All(p => Matches(p.First, p.Second, "value"));
            case JsonValueKind.Object:
                var properties = expected.EnumerateObject().ToList();
                return decoded is List<KeyValuePair<object?, object?>> map
                    && map.Count == properties.Count
                    && map.Zip(properties).All(p => p.First.Key is string key && key == p.Second.Name && Matches(p.First.Value, p.Second.Value, "value"));
            default:
                return false;
        }
    }

    public static byte[] FromDashedHex(string hex) => hex.Length == 0 ? [] : Convert.FromHexString(hex.Replace("-", "", StringComparison.Ordinal));

    public static string ToDashedHex(ReadOnlySpan<byte> bytes) =>
        string.Join('-', bytes.ToArray().Select(b => b.ToString("x2", System.Globalization.CultureInfo.InvariantCulture)));
}
