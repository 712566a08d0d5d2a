using System.Text.Json.Nodes;
using Certstream.TestSupport;

namespace Certstream.Parser.Tests;

public sealed class DecodeCommandTests
{
    [Fact]
    public void Get_entries_response_prints_one_full_message_per_entry_starting_at_start()
    {
        var json = File.ReadAllText(RepoPaths.Fixture("rfc6962", "argon2027h1_get-entries_380000003-380000004.json"));
        var output = new StringWriter();
        var error = new StringWriter();
        var code = DecodeCommand.Run(["decode", "--url", "https://ct.googleapis.com/logs/us1/argon2027h1/", "--name", "Google 'Argon2027h1'", "--start", "380000003"],
            new StringReader(json), output, error);

        Assert.Equal(0, code);
        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        var first = JsonNode.Parse(lines[0])!["data"]!;
        Assert.Equal(380000003UL, (ulong)first["cert_index"]!);
        Assert.Equal("https://ct.googleapis.com/logs/us1/argon2027h1/ct/v1/get-entries?start=380000003&end=380000003", (string)first["cert_link"]!);
        Assert.Equal("Google 'Argon2027h1'", (string)first["source"]!["name"]!);
        Assert.Equal("certificate_update", (string)JsonNode.Parse(lines[1])!["message_type"]!);
    }

    [Fact]
    public void Tiled_data_tile_prints_256_messages_with_empty_cert_link()
    {
        var issuers = Directory.CreateTempSubdirectory("issuers");
        try
        {
            using var input = new StreamReader(new MemoryStream(GoldenLog.DataTile(1)));
            var output = new StringWriter();
            var code = DecodeCommand.Run(["--url", "https://navigli.example/2025h2/", "--name", "Navigli", "--start", "256", "--tiled", "--issuers", issuers.FullName],
                input, output, new StringWriter());
            Assert.Equal(0, code);
            var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.Equal(256, lines.Length);
            var last = JsonNode.Parse(lines[^1])!["data"]!;
            Assert.Equal(511UL, (ulong)last["cert_index"]!);
            Assert.Equal("", (string)last["cert_link"]!);
            Assert.Equal("tiled", (string)last["source"]!["type"]!);
        }
        finally
        {
            issuers.Delete(recursive: true);
        }
    }

    [Theory]
    [InlineData(new[] { "--name", "x" }, "--url is required")]
    [InlineData(new[] { "--url", "https://x/" }, "--name is required")]
    [InlineData(new[] { "--url", "https://x/", "--name", "x", "--start", "-1" }, "--start must be")]
    [InlineData(new[] { "--url", "https://x/", "--name", "x", "--bogus" }, "unknown argument '--bogus'")]
    [InlineData(new[] { "--url", "https://x/", "--name", "x", "--issuers", "/tmp" }, "only with --tiled")]
    [InlineData(new[] { "--url" }, "--url needs a value")]
    [InlineData(new[] { "--url", "https:///", "--name", "x" }, "--url: 'https:///' has no host")]
    public void Bad_arguments_exit_2_with_a_message(string[] args, string message)
    {
        var error = new StringWriter();
        var output = new StringWriter();
        Assert.Equal(2, DecodeCommand.Run(args, new StringReader(""), output, error));
        Assert.Contains(message, error.ToString(), StringComparison.Ordinal);
        Assert.Contains("usage:", error.ToString(), StringComparison.Ordinal);
        Assert.Equal("", output.ToString());
    }

    [Fact]
    public void Input_that_is_not_get_entries_json_exits_1()
    {
        var error = new StringWriter();
        Assert.Equal(1, DecodeCommand.Run(["--url", "https://x/", "--name", "x"], new StringReader("not json"), new StringWriter(), error));
        Assert.Contains("not a get-entries", error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_rejected_entry_is_reported_and_the_others_still_print()
    {
        var good = JsonNode.Parse(File.ReadAllText(RepoPaths.Fixture("rfc6962", "ctgo_scanner_FourEntries_get-entries.json")))!["entries"]![0]!;
        var json = new JsonObject
        {
            ["entries"] = new JsonArray(
                new JsonObject { ["leaf_input"] = Convert.ToBase64String([0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 3, 1, 2, 3, 0, 0]), ["extra_data"] = "" },
                good.DeepClone()),
        };
        var output = new StringWriter();
        var error = new StringWriter();
        Assert.Equal(1, DecodeCommand.Run(["--url", "https://x/", "--name", "x"], new StringReader(json.ToJsonString()), output, error));
        Assert.Contains("entry 0 rejected: UndecodableCertificate", error.ToString(), StringComparison.Ordinal);
        Assert.Single(output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("\"cert_index\":1,", output.ToString(), StringComparison.Ordinal);
    }
}
