using System.Net;
using System.Text.Json;

namespace Certstream.CtLogSim.Tests;

/// <summary>One read-only simulator shared by a test class: 3 RFC 6962 logs (caps 32/256/1024), 2 static-ct logs, 600 entries each.</summary>
public sealed class SimulatorFixture : IAsyncLifetime
{
    public const int InitialSize = 600;

    internal CtLogSimulator Sim { get; private set; } = null!;
    public HttpClient Http { get; } = TestHttp.NewClient();

    public async Task InitializeAsync()
    {
        Sim = await CtLogSimulator.StartAsync(new CtLogSimOptions { Rfc6962Logs = 3, TiledLogs = 2, InitialSize = InitialSize, Seed = 7 }, CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        Http.Dispose();
        await Sim.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class SharedSimulator : ICollectionFixture<SimulatorFixture>
{
    public const string Name = "shared simulator";
}

internal static class TestHttp
{
    public static HttpClient NewClient() => new(new SocketsHttpHandler { AutomaticDecompression = DecompressionMethods.None }) { Timeout = TimeSpan.FromSeconds(30) };

    public static async Task<JsonElement> GetJsonAsync(this HttpClient http, Uri url)
    {
        using var response = await http.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsByteArrayAsync()).RootElement.Clone();
    }

    public static Uri Under(this Uri logUrl, string path) => new(logUrl, path);
}
