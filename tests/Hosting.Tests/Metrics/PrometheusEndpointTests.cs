using System.Diagnostics.Metrics;
using Certstream.Hosting.Metrics;
using Certstream.TestSupport;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Certstream.Hosting.Tests.Metrics;

public sealed class PrometheusEndpointTests
{
    [Fact]
    public async Task Kestrel_serves_the_exposition_on_the_mapped_path()
    {
        var prefix = "Endpoint" + Guid.NewGuid().ToString("N");
        var port = FreePort.Next();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls($"http://127.0.0.1:{port}");
        builder.Logging.ClearProviders();
        builder.Services.AddPrometheusExposition(options => options.MeterNamePrefix = prefix);
        await using var app = builder.Build();
        app.MapPrometheusMetrics("/metrics");
        await app.StartAsync();

        using var meter = new Meter(prefix + ".Edge");
        meter.CreateCounter<int>("certstream.edge.messages_sent").Add(42, new KeyValuePair<string, object?>("stream", "full"));

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(20) };
        using var response = await http.GetAsync(new Uri($"http://127.0.0.1:{port}/metrics"));
        var body = await response.Content.ReadAsStringAsync();

        Assert.True(response.IsSuccessStatusCode, $"status {response.StatusCode}");
        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        Assert.Contains("# TYPE certstream_edge_messages_sent_total counter\n", body, StringComparison.Ordinal);
        Assert.Contains("certstream_edge_messages_sent_total{stream=\"full\"} 42\n", body, StringComparison.Ordinal);
        Assert.Contains("# TYPE process_resident_memory_bytes gauge\n", body, StringComparison.Ordinal);
        await app.StopAsync();
    }

    [Fact]
    public async Task Mapping_without_registering_the_exposition_says_what_to_call()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        await using var app = builder.Build();

        var error = Assert.Throws<InvalidOperationException>(() => app.MapPrometheusMetrics("/metrics"));
        Assert.Contains("AddPrometheusExposition", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Registering_twice_keeps_one_exposition()
    {
        var services = new ServiceCollection();
        services.AddPrometheusExposition().AddPrometheusExposition(o => o.MeterNamePrefix = "Other");
        using var provider = services.BuildServiceProvider();
        Assert.Same(provider.GetRequiredService<PrometheusExposition>(), provider.GetRequiredService<PrometheusExposition>());
        Assert.Single(services, d => d.ServiceType == typeof(PrometheusExposition));
    }
}
