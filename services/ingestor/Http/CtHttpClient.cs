using System.Net;

namespace Certstream.Ingestor.Http;

/// <summary>The one <see cref="HttpClient"/> the ingestor uses for every log (pooled keep-alive connections, docs/ingest.md).</summary>
internal static class CtHttpClient
{
    public static HttpClient Create(IngestorSettings settings)
    {
        var handler = new SocketsHttpHandler
        {
            // Static-ct tiles are gzip'd at the HTTP layer and must be accepted even unasked (c2sp.org/static-ct-api data tiles).
            AutomaticDecompression = DecompressionMethods.All,
            ConnectTimeout = settings.RequestTimeout < TimeSpan.FromSeconds(15) ? settings.RequestTimeout : TimeSpan.FromSeconds(15),
            // Recycle connections so DNS changes of CDN-fronted logs are picked up.
            PooledConnectionLifetime = TimeSpan.FromMinutes(10),
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(90),
            MaxConnectionsPerServer = 32,
        };
        var client = new HttpClient(handler, disposeHandler: true) { Timeout = settings.RequestTimeout };
        // Logs ask for an identifying User-Agent with a contact (docs/ingest.md); accept any text the operator configured.
        client.DefaultRequestHeaders.TryAddWithoutValidation("User-Agent", settings.UserAgent);
        return client;
    }
}
