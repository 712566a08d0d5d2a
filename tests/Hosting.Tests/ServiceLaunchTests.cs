using Certstream.Hosting.Configuration;

namespace Certstream.Hosting.Tests;

public sealed class ServiceLaunchTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("certstream-launch-");
    private readonly StringWriter _output = new();
    private readonly StringWriter _error = new();

    public void Dispose()
    {
        _dir.Delete(recursive: true);
        _output.Dispose();
        _error.Dispose();
    }

    private string WriteConfig(string yaml)
    {
        var path = Path.Combine(_dir.FullName, "config.yaml");
        File.WriteAllText(path, yaml);
        return path;
    }

    private ServiceLaunch Prepare(string[] args, Dictionary<string, string>? environment = null, params ServiceCommand[] commands) =>
        ServiceLaunch.Prepare("edge", args, environment ?? [], _output, _error, commands);

    [Fact]
    public void Validate_prints_one_ok_line_and_exits_0()
    {
        var path = WriteConfig("webserver:\n  listen_port: 9000\n");
        var launch = Prepare(["-c", path, "validate"]);
        Assert.False(launch.ShouldRun);
        Assert.Equal(0, launch.ExitCode);
        Assert.Equal($"OK: {path} is valid" + Environment.NewLine, _output.ToString());
        Assert.Equal("", _error.ToString());
    }

    [Theory]
    [InlineData("webserver:\n  listen_prot: 9000\n", ":2: webserver.listen_prot: unknown key (did you mean listen_port?)")]
    [InlineData("webserver:\n  listen_port: -8080\n", ":2: webserver.listen_port: -8080 is not a port (1 to 65535)")]
    [InlineData("ingestor:\n  sth_poll_interval: 30 parsecs\n", ":2: ingestor.sth_poll_interval: \"30 parsecs\" is not a duration (e.g. 500ms, 30s, 1m30s, 24h)")]
    public void A_bad_file_prints_one_error_line_and_exits_2(string yaml, string expectedSuffix)
    {
        var path = WriteConfig(yaml);
        foreach (var args in new[] { new[] { "-c", path, "validate" }, new[] { "-c", path } })
        {
            _error.GetStringBuilder().Clear();
            var launch = Prepare(args);
            Assert.False(launch.ShouldRun);
            Assert.Equal(2, launch.ExitCode);
            Assert.Equal(path + expectedSuffix + Environment.NewLine, _error.ToString());
        }
        Assert.Equal("", _output.ToString());
    }

    [Fact]
    public void A_missing_file_given_with_c_exits_2()
    {
        var path = Path.Combine(_dir.FullName, "absent.yaml");
        var launch = Prepare(["-c", path, "validate"]);
        Assert.Equal(2, launch.ExitCode);
        Assert.Equal($"{path}: config file not found" + Environment.NewLine, _error.ToString());
    }

    [Fact]
    public void A_bad_environment_value_exits_2_naming_the_variable()
    {
        var path = WriteConfig("");
        var launch = Prepare(["-c", path], new() { ["CERTSTREAM_WEBSERVER_HEARTBEAT_INTERVAL"] = "often" });
        Assert.Equal(2, launch.ExitCode);
        Assert.StartsWith("env CERTSTREAM_WEBSERVER_HEARTBEAT_INTERVAL: webserver.heartbeat_interval: ", _error.ToString());
    }

    [Fact]
    public void A_bad_log_level_exits_2_naming_the_variable()
    {
        var launch = Prepare(["-c", WriteConfig("")], new() { ["CERTSTREAM_LOG_LEVEL"] = "loud" });
        Assert.Equal(2, launch.ExitCode);
        Assert.StartsWith("env CERTSTREAM_LOG_LEVEL: \"loud\" is not a log level", _error.ToString());
    }

    [Fact]
    public void A_good_file_yields_the_config_to_run_with()
    {
        var path = WriteConfig("webserver:\n  listen_port: 9000\n");
        var launch = Prepare(["--config", path], new() { ["CERTSTREAM_PARSER_FETCH_BATCH"] = "10" });
        Assert.True(launch.ShouldRun);
        Assert.Equal(9000, launch.Config.Webserver.ListenPort);
        Assert.Equal(10, launch.Config.Parser.FetchBatch);
        Assert.Equal(path, launch.ConfigSource);
    }

    [Fact]
    public void Without_c_a_missing_config_yaml_means_defaults_and_environment()
    {
        // The default path is relative to the working directory (the test's bin folder, which has none).
        Assert.False(File.Exists(ConfigLoader.DefaultPath));
        var launch = ServiceLaunch.Prepare("edge", [], new Dictionary<string, string> { ["CERTSTREAM_WEBSERVER_LISTEN_PORT"] = "9001" },
            _output, _error, []);
        Assert.True(launch.ShouldRun);
        Assert.Equal(9001, launch.Config.Webserver.ListenPort);
        Assert.Equal("built-in defaults (config.yaml not found)", launch.ConfigSource);
    }

    [Fact]
    public void A_service_command_runs_without_any_config_file()
    {
        string[]? received = null;
        var decode = new ServiceCommand("decode", "decode entries", a => { received = a; return 7; });
        var launch = Prepare(["-c", Path.Combine(_dir.FullName, "absent.yaml"), "decode", "--url", "u"], null, decode);
        Assert.False(launch.ShouldRun);
        Assert.Equal(7, launch.ExitCode);
        Assert.NotNull(received);
        Assert.Equal(["--url", "u"], received);
        Assert.Equal("", _error.ToString());
    }

    [Fact]
    public void An_unknown_command_exits_2()
    {
        var launch = Prepare(["frobnicate"]);
        Assert.Equal(2, launch.ExitCode);
        Assert.Equal("edge: unknown command \"frobnicate\" (see --help)" + Environment.NewLine, _error.ToString());
    }

    [Fact]
    public void Help_lists_the_service_commands_and_exits_0()
    {
        var launch = Prepare(["--help"], null, new ServiceCommand("decode", "decode CT entries from stdin", _ => 0));
        Assert.Equal(0, launch.ExitCode);
        Assert.Contains("validate", _output.ToString(), StringComparison.Ordinal);
        Assert.Contains("decode              decode CT entries from stdin", _output.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Version_prints_the_product_version()
    {
        var launch = Prepare(["--version"]);
        Assert.Equal(0, launch.ExitCode);
        Assert.Equal($"certstream-nats edge {ProductVersion.Current}" + Environment.NewLine, _output.ToString());
    }
}
