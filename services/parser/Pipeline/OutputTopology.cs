using Certstream.Contracts;
using Certstream.Hosting.Configuration;
using Microsoft.Extensions.Logging;
using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;

namespace Certstream.Parser.Pipeline;

/// <summary>
/// The JetStream streams the parser's output feeds (README "NATS subjects"): <c>CT_HISTORY</c>, which captures the
/// published messages of the streams <c>history.streams</c> names, and <c>CT_UNIQUE</c>, which decides first copies.
/// The parser owns their config: each replica creates or updates them from the shared config file when it binds.
/// A stream the config turns off is left alone (an operator deletes it); one the server refuses to update is named with
/// the server's reason and the pipeline goes on without the change.
/// </summary>
internal sealed class OutputTopology(HistoryOptions history, UniqueOptions unique, int replicas, ILogger logger)
{
    public bool UniqueEnabled => unique.Enabled;

    /// <summary>Whether CT_HISTORY keeps the stream of that name (<c>full</c>, <c>lite</c>, <c>domains</c>).</summary>
    public bool Keeps(string stream) => history.Enabled && history.Streams.Contains(stream);

    public async ValueTask EnsureAsync(INatsJSContext js, CancellationToken cancellationToken)
    {
        if (history.Enabled)
            await EnsureStreamAsync(js, JetStreamConfigs.HistoryStream(history.Streams, history.MaxAge, history.MaxBytes, replicas), "history", cancellationToken);
        if (unique.Enabled)
            await EnsureUniqueAsync(js, cancellationToken);
    }

    /// <summary>Creates CT_UNIQUE again when a publish found no stream (deleted while running).</summary>
    public ValueTask EnsureUniqueAsync(INatsJSContext js, CancellationToken cancellationToken) =>
        EnsureStreamAsync(js, JetStreamConfigs.UniqueStream(unique.Window, replicas), "unique", cancellationToken);

    private async ValueTask EnsureStreamAsync(INatsJSContext js, StreamConfig config, string section, CancellationToken cancellationToken)
    {
        try
        {
            await js.CreateOrUpdateStreamAsync(config, cancellationToken);
        }
        catch (NatsJSApiException e)
        {
            logger.LogError("Stream {Stream} cannot be created or updated to the {Section}: settings and nats.replicas ({Error}); fix or delete the stream (nats stream rm {Stream}) and restart the parser",
                config.Name, section, JetStreamRefusal.Describe(config.Name!, e, replicas), config.Name);
        }
    }
}
