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

public sealed class RedactingLoggerTests
{
    [Fact]
    public void An_exception_that_quotes_a_token_is_written_redacted()
    {
        var inner = new ListProvider();
        using var provider = new Certstream.Hosting.Logging.RedactingLoggerProvider(inner);
        var logger = provider.CreateLogger("test");
        logger.Log(Microsoft.Extensions.Logging.LogLevel.Debug, default, "bad request", new InvalidOperationException("Invalid request line: 'GET /?token=abc HTTP/1.1'"), (s, _) => s);

        var (message, exception) = Assert.Single(inner.Entries);
        Assert.Null(exception);
        Assert.Contains("token=***", message, StringComparison.Ordinal);
        Assert.DoesNotContain("abc", message, StringComparison.Ordinal);
    }

    private sealed class ListProvider : Microsoft.Extensions.Logging.ILoggerProvider, Microsoft.Extensions.Logging.ILogger
    {
        public List<(string Message, Exception? Exception)> Entries { get; } = [];

        public Microsoft.Extensions.Logging.ILogger CreateLogger(string categoryName) => this;

        public void Dispose()
        {
        }

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(Microsoft.Extensions.Logging.LogLevel logLevel) => true;

        public void Log<TState>(Microsoft.Extensions.Logging.LogLevel logLevel, Microsoft.Extensions.Logging.EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Entries.Add((formatter(state, exception), exception));
    }
}
