using System.Net;
using Certstream.Hosting.Configuration;

namespace Certstream.Hosting.Tests;

public sealed class EnvironmentOverrideTests
{
    private static CertstreamConfig Load(string yaml, params (string Name, string Value)[] environment) =>
        ConfigLoader.Parse(yaml, "test.yaml", environment.ToDictionary(e => e.Name, e => e.Value));

    private static string ErrorOf(string yaml, params (string Name, string Value)[] environment) =>
        Assert.Throws<ConfigException>(() => Load(yaml, environment)).Message;

    [Fact]
    public void A_variable_overrides_the_file()
    {
        var c = Load("webserver:\n  listen_port: 8081\n", ("CERTSTREAM_WEBSERVER_LISTEN_PORT", "9000"));
        Assert.Equal(9000, c.Webserver.ListenPort);
    }

    [Fact]
    public void A_variable_sets_a_key_the_file_leaves_out()
    {
        var c = Load("", ("CERTSTREAM_INGESTOR_RAW_MAX_AGE", "48h"), ("CERTSTREAM_PROMETHEUS_ENABLED", "false"));
        Assert.Equal(TimeSpan.FromHours(48), c.Ingestor.RawMaxAge);
        Assert.False(c.Prometheus.Enabled);
    }

    [Fact]
    public void Nested_keys_join_their_path_with_underscores()
    {
        var dir = Directory.CreateTempSubdirectory("certstream-hosting-");
        try
        {
            var ca = Path.Combine(dir.FullName, "ca.pem");
            File.WriteAllText(ca, "x");
            var c = Load("", ("CERTSTREAM_NATS_TLS_CA_FILE", ca));
            Assert.Equal(ca, c.Nats.Tls.CaFile);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void A_scalar_list_is_comma_separated()
    {
        var c = Load("", ("CERTSTREAM_WEBSERVER_WHITELIST", "10.0.0.0/8, 192.168.0.1"), ("CERTSTREAM_GENERAL_LOG_STATES", "usable"));
        Assert.Equal([new IPNetwork(IPAddress.Parse("10.0.0.0"), 8), new IPNetwork(IPAddress.Parse("192.168.0.1"), 32)], c.Webserver.Whitelist);
        Assert.Equal(["usable"], c.General.LogStates);
    }

    [Fact]
    public void A_scalar_list_may_also_be_a_yaml_flow_list()
    {
        var c = Load("", ("CERTSTREAM_WEBSERVER_AUTH_TOKENS", "[\"a,b\", c]"));
        Assert.Equal(["a,b", "c"], c.Webserver.AuthTokens);
    }

    [Fact]
    public void An_empty_variable_empties_a_list()
    {
        var c = Load("webserver:\n  auth_tokens: [x]\n", ("CERTSTREAM_WEBSERVER_AUTH_TOKENS", ""));
        Assert.Empty(c.Webserver.AuthTokens);
    }

    [Fact]
    public void A_list_of_logs_is_a_yaml_flow_list()
    {
        var c = Load("", ("CERTSTREAM_GENERAL_ADDITIONAL_LOGS", "[{url: \"https://ct.example.com/\", operator: Ex, description: Example}]"));
        Assert.Equal([new CtLogSource("https://ct.example.com/", "Ex", "Example")], c.General.AdditionalLogs);
    }

    [Fact]
    public void A_bad_value_names_the_variable_not_a_line() =>
        Assert.Equal("env CERTSTREAM_WEBSERVER_LISTEN_PORT: webserver.listen_port: \"abc\" is not a whole number",
            ErrorOf("webserver:\n  listen_port: 8081\n", ("CERTSTREAM_WEBSERVER_LISTEN_PORT", "abc")));

    [Fact]
    public void A_bad_item_of_a_listed_log_names_the_variable() =>
        Assert.Equal("env CERTSTREAM_GENERAL_ADDITIONAL_LOGS: general.additional_logs[0].url: \"ftp://x\" is not an http(s) URL",
            ErrorOf("", ("CERTSTREAM_GENERAL_ADDITIONAL_LOGS", "[{url: \"ftp://x\"}]")));

    [Fact]
    public void A_malformed_flow_list_names_the_variable() =>
        Assert.StartsWith("env CERTSTREAM_WEBSERVER_WHITELIST: not a YAML flow list: ",
            ErrorOf("", ("CERTSTREAM_WEBSERVER_WHITELIST", "[10.0.0.1")));

    [Fact]
    public void A_misspelt_variable_of_a_known_section_is_refused_with_a_suggestion() =>
        Assert.Equal("env CERTSTREAM_WEBSERVER_LISTEN_PROT: unknown key (did you mean CERTSTREAM_WEBSERVER_LISTEN_PORT?)",
            ErrorOf("", ("CERTSTREAM_WEBSERVER_LISTEN_PROT", "9000")));

    [Fact]
    public void Variables_outside_the_sections_are_left_alone()
    {
        var c = Load("", ("CERTSTREAM_LOG_LEVEL", "debug"), ("CERTSTREAM_SOMETHING_ELSE", "x"));
        Assert.Equal(new CertstreamConfig(), c);
    }

    [Fact]
    public void Without_a_file_the_environment_still_applies()
    {
        var c = ConfigLoader.FromEnvironment(new Dictionary<string, string> { ["CERTSTREAM_PARSER_CONCURRENCY"] = "2" });
        Assert.Equal(new CertstreamConfig { Parser = new ParserOptions { Concurrency = 2 } }, c);
    }
}
