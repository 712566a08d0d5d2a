namespace Certstream.Hosting.Tests;

public sealed class ServiceCommandLineTests
{
    [Fact]
    public void No_arguments_run_the_service_with_config_yaml()
    {
        var c = ServiceCommandLine.Parse([]);
        Assert.Equal(("config.yaml", false, null), (c.ConfigPath, c.ConfigPathGiven, c.Command));
        Assert.Null(c.Error);
    }

    [Theory]
    [InlineData("-c", "my.yaml")]
    [InlineData("--config", "my.yaml")]
    [InlineData("--config=my.yaml")]
    public void The_config_file_is_named_with_c_or_config(params string[] args)
    {
        var c = ServiceCommandLine.Parse(args);
        Assert.Equal(("my.yaml", true), (c.ConfigPath, c.ConfigPathGiven));
    }

    [Theory]
    [InlineData("-c", "f.yaml", "validate")]
    [InlineData("validate", "-c", "f.yaml")]
    public void Validate_takes_the_config_option_before_or_after_it(params string[] args)
    {
        var c = ServiceCommandLine.Parse(args);
        Assert.Equal(("validate", "f.yaml"), (c.Command, c.ConfigPath));
        Assert.Null(c.Error);
    }

    [Fact]
    public void A_service_command_gets_the_rest_of_the_arguments_verbatim()
    {
        var c = ServiceCommandLine.Parse(["decode", "--url", "https://x/", "-c", "y", "--tiled"]);
        Assert.Equal("decode", c.Command);
        Assert.Equal(["--url", "https://x/", "-c", "y", "--tiled"], c.CommandArguments);
        Assert.False(c.ConfigPathGiven);
    }

    [Theory]
    [InlineData("unknown option --verbose", "--verbose")]
    [InlineData("option -c needs a file name", "-c")]
    [InlineData("option --config needs a file name", "--config=")]
    [InlineData("unexpected argument \"extra\"", "validate", "extra")]
    public void Usage_errors_are_reported(string error, params string[] args) =>
        Assert.Equal(error, ServiceCommandLine.Parse(args).Error);

    [Fact]
    public void Help_and_version_are_flags()
    {
        Assert.True(ServiceCommandLine.Parse(["--help"]).HelpRequested);
        Assert.True(ServiceCommandLine.Parse(["-v"]).VersionRequested);
    }
}
