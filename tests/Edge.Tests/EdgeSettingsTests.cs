namespace Certstream.Edge.Tests;

public sealed class EdgeSettingsTests
{
    [Fact]
    public void Defaults_are_the_specs()
    {
        var settings = new EdgeSettings();

        Assert.Equal(("0.0.0.0", 8080), (settings.ListenAddr, settings.ListenPort));
        Assert.Equal(("/", "/full-stream", "/domains-only"), (settings.LiteUrl, settings.FullUrl, settings.DomainsOnlyUrl));
        Assert.False(settings.CompressionEnabled);
        Assert.False(settings.RealIp);
        Assert.Equal(10_000, settings.MaxClients);
        Assert.Equal(0, settings.MaxClientsPerIp);
        Assert.Equal(TimeSpan.FromSeconds(30), settings.PingInterval);
        Assert.Equal(TimeSpan.FromSeconds(65), settings.ClientTimeout);
        Assert.Equal(TimeSpan.FromSeconds(30), settings.HeartbeatInterval);
        Assert.Equal(4 * 1024 * 1024, settings.ClientBuffer);
        Assert.Equal(TimeSpan.FromSeconds(60), settings.SlowClientTimeout);
        Assert.True(settings.PrometheusEnabled);
        Assert.Equal("/metrics", settings.MetricsUrl);
        settings.Validate();
    }

    [Theory]
    [InlineData("webserver.full_url")]
    [InlineData("webserver.lite_url")]
    [InlineData("webserver.listen_addr")]
    [InlineData("webserver.cert_key_path")]
    [InlineData("webserver.client_buffer")]
    [InlineData("webserver.domains_only_url")]
    [InlineData("webserver.ping_interval")]
    public void Invalid_values_are_rejected_naming_the_key(string key)
    {
        var settings = key switch
        {
            "webserver.full_url" => new EdgeSettings { FullUrl = "full-stream" },
            "webserver.lite_url" => new EdgeSettings { LiteUrl = "/full-stream/" },
            "webserver.listen_addr" => new EdgeSettings { ListenAddr = "localhost" },
            "webserver.cert_key_path" => new EdgeSettings { CertPath = "/tmp/cert.pem" },
            "webserver.domains_only_url" => new EdgeSettings { DomainsOnlyUrl = "/stats" },
            "webserver.ping_interval" => new EdgeSettings { PingInterval = TimeSpan.FromSeconds(70) },
            _ => new EdgeSettings { ClientBuffer = 0 },
        };

        var error = Assert.Throws<ArgumentException>(settings.Validate);

        Assert.Contains(key, error.Message, StringComparison.Ordinal);
    }
}
