using System.Text.Json;
using Certstream.Ingestor.Http;

namespace Certstream.Ingestor.Logs;

/// <summary>Fetches and parses <c>general.log_list_url</c> (Chrome's v3 list, docs/ingest.md).</summary>
internal sealed class LogListSource(IngestorSettings settings, LogHttp http)
{
    /// <summary>The metrics' <c>log</c> tag for log-list requests.</summary>
    public const string MetricsKey = "log_list";

    public async Task<Attempt<LogList>> TryFetchAsync(CancellationToken cancellationToken)
    {
        if (!Uri.TryCreate(settings.LogListUrl, UriKind.Absolute, out var uri))
            return Attempt<LogList>.Failure(ErrorKind.ClientError, $"log_list_url '{settings.LogListUrl}' is not an absolute URL");
        var fetched = await http.GetAsync(MetricsKey, "log-list", uri, cancellationToken);
        if (!fetched.Ok) return Attempt<LogList>.Failure(fetched);
        try
        {
            var list = LogList.Parse(fetched.Body);
            // An empty list from a glitching CDN must not stop every follower: keep the previous one.
            return list.Logs.Count == 0
                ? Attempt<LogList>.Failure(ErrorKind.Garbage, "log list names no logs")
                : Attempt<LogList>.Success(list);
        }
        catch (JsonException e)
        {
            return Attempt<LogList>.Failure(ErrorKind.Garbage, e.Message);
        }
    }
}
