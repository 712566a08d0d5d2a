using Certstream.Hosting.Logging;

namespace Certstream.Hosting.Tests;

public sealed class SecretRedactionTests
{
    [Theory]
    [InlineData("Request starting HTTP/1.1 GET http://h/?token=abc123", "Request starting HTTP/1.1 GET http://h/?token=***")]
    [InlineData("GET /full-stream?domain=x.test&token=abc&since=1", "GET /full-stream?domain=x.test&token=***&since=1")]
    [InlineData("GET /?TOKEN=abc%20def HTTP/1.1", "GET /?TOKEN=*** HTTP/1.1")]
    [InlineData("GET /?access_token=abc", "GET /?access_token=***")]
    [InlineData("Authorization: Bearer abc.def", "Authorization: Bearer ***")]
    [InlineData("{\"authorization\":\"s3cret\"}", "{\"authorization\":\"***\"}")]
    [InlineData("tokens are configured: 2", "tokens are configured: 2")]
    [InlineData("GET /?domain=token.example.com", "GET /?domain=token.example.com")]
    public void Token_values_are_replaced_and_nothing_else(string text, string expected) =>
        Assert.Equal(expected, SecretRedaction.Redact(text));
}

public sealed class MetricsAddressTests
{
    [Theory]
    [InlineData("127.0.0.1", "http://127.0.0.1:")]
    [InlineData("", "http://[::]:")]
    public async Task Metrics_listen_on_metrics_addr_or_on_every_interface(string address, string expected)
    {
        var builder = Microsoft.AspNetCore.Builder.WebApplication.CreateSlimBuilder();
        builder.ListenForMetrics(address, 0);
        await using var app = builder.Build();
        await app.StartAsync();
        Assert.StartsWith(expected, Assert.Single(app.Urls), StringComparison.Ordinal);
        await app.StopAsync();
    }
}
