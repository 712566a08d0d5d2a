using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace Certstream.Edge;

/// <summary>A started in-process edge (<see cref="EdgeServer.StartAsync"/>): its address and its hub.</summary>
internal sealed class EdgeHost(WebApplication app, Uri baseUri) : IAsyncDisposable
{
    /// <summary><c>http(s)://127.0.0.1:port/</c></summary>
    public Uri BaseUri { get; } = baseUri;

    public WebApplication App { get; } = app;

    public StreamHub Hub => App.Services.GetRequiredService<StreamHub>();

    public ClientAdmission Admission => App.Services.GetRequiredService<ClientAdmission>();

    /// <summary>The ws:// or wss:// URL of a path on this server.</summary>
    public Uri WebSocketUri(string pathAndQuery)
    {
        var scheme = BaseUri.Scheme == Uri.UriSchemeHttps ? "wss" : "ws";
        return new Uri($"{scheme}://{BaseUri.Authority}{pathAndQuery}");
    }

    public async ValueTask DisposeAsync()
    {
        await App.StopAsync(CancellationToken.None);
        await App.DisposeAsync();
    }
}
