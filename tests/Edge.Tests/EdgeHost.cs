using Microsoft.AspNetCore.Builder;
using Certstream.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace Certstream.Edge.Tests;

/// <summary>A started in-process edge (<see cref="Edge.StartAsync"/>): its address, its hub and its admission.</summary>
internal sealed class EdgeHost(InProcessService service) : IAsyncDisposable
{
    public InProcessService Service { get; } = service;

    /// <summary><c>http(s)://127.0.0.1:port/</c></summary>
    public Uri BaseUri => Service.BaseUri;

    public WebApplication App => Service.App;

    public StreamHub Hub => App.Services.GetRequiredService<StreamHub>();

    public ClientAdmission Admission => App.Services.GetRequiredService<ClientAdmission>();

    /// <summary>The ws:// or wss:// URL of a path on this server.</summary>
    public Uri WebSocketUri(string pathAndQuery)
    {
        var scheme = BaseUri.Scheme == Uri.UriSchemeHttps ? "wss" : "ws";
        return new Uri($"{scheme}://{BaseUri.Authority}{pathAndQuery}");
    }

    public ValueTask DisposeAsync() => Service.DisposeAsync();
}
