using System.Text;
using System.Text.Json;
using Certstream.TestSupport;

namespace Certstream.Contracts.Tests;

/// <summary>
/// RawEntry against an independent MessagePack implementation: @msgpack/msgpack 3.1.3 in Node
/// (tests/node/msgpack-interop.mjs), as a third party tapping CT_RAW would use it.
/// </summary>
public sealed class NodeInteropTests
{
    // Above 2^53: a JavaScript number cannot hold it, so it must arrive as a BigInt with every digit.
    private const ulong BigIndex = 9007199254740993UL;

    [Fact]
    public async Task Node_decodes_every_field_of_an_entry_we_wrote()
    {
        var entry = SampleEntries.Argon() with { Index = BigIndex, Type = LogType.Tiled };
        var output = await RunNode("decode", SampleEntries.Encode(entry));

        using var json = JsonDocument.Parse(output);
        var root = json.RootElement;
        Assert.Equal<string[]>(
            ["v", "log", "url", "name", "operator", "type", "index", "leaf_input", "extra_data", "fetched_at"],
            root.GetProperty("keys").EnumerateArray().Select(k => k.GetString()!).ToArray());
        var types = root.GetProperty("types");
        Assert.Equal("bigint", types.GetProperty("index").GetString());
        Assert.Equal("bin", types.GetProperty("leaf_input").GetString());
        Assert.Equal("bin", types.GetProperty("extra_data").GetString());
        Assert.Equal("number", types.GetProperty("fetched_at").GetString());
        Assert.Equal(1, root.GetProperty("v").GetInt32());
        Assert.Equal(entry.Log, root.GetProperty("log").GetString());
        Assert.Equal(entry.Url, root.GetProperty("url").GetString());
        Assert.Equal(entry.Name, root.GetProperty("name").GetString());
        Assert.Equal(entry.Operator, root.GetProperty("operator").GetString());
        Assert.Equal("tiled", root.GetProperty("type").GetString());
        Assert.Equal("9007199254740993", root.GetProperty("index").GetString());
        Assert.Equal(Convert.ToBase64String(entry.LeafInput.Span), root.GetProperty("leaf_input").GetString());
        Assert.Equal(Convert.ToBase64String(entry.ExtraData.Span), root.GetProperty("extra_data").GetString());
        Assert.Equal(entry.FetchedAt, root.GetProperty("fetched_at").GetDouble());
    }

    [Fact]
    public async Task We_read_entries_node_wrote_with_unknown_nested_keys()
    {
        var expected = SampleEntries.Argon() with { Index = BigIndex };
        var request = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["v"] = 1,
            ["log"] = expected.Log,
            ["url"] = expected.Url,
            ["name"] = expected.Name,
            ["operator"] = expected.Operator,
            ["type"] = "rfc6962",
            ["index"] = BigIndex.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["leaf_input"] = Convert.ToBase64String(expected.LeafInput.Span),
            ["extra_data"] = Convert.ToBase64String(expected.ExtraData.Span),
            ["fetched_at"] = expected.FetchedAt,
        });
        var output = await RunNode("encode", request);
        var messages = output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(Convert.FromBase64String).ToArray();
        Assert.Equal(2, messages.Length);

        Assert.True(RawEntryCodec.TryRead(messages[0].AsMemory(), out var read, out var error), error.Message);
        Assert.Equal(expected, read);

        // Node writes the whole-number fetched_at as an integer.
        Assert.True(RawEntryCodec.TryRead(messages[1].AsMemory(), out read, out error), error.Message);
        Assert.Equal(expected with { FetchedAt = Math.Truncate(expected.FetchedAt) }, read);
    }

private static Task<string> RunNode(string mode, byte[] input)
    {
        NodeScripts.RequirePackage("@msgpack/msgpack");
        return NodeScripts.RunAsync("msgpack-interop.mjs", [mode], input);
    }
}
