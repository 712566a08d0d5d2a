using System.Globalization;
using System.Text;
using Certstream.Contracts;
using Certstream.Hosting.Messaging;
using NATS.Client.Core;
using NATS.Client.JetStream;
using NATS.Client.JetStream.Models;

namespace Certstream.Edge;

/// <summary>
/// Resume (README "Resume"): a client that passes <c>since</c> (or an EventSource's <c>Last-Event-ID</c>) is fed by an
/// ordered consumer of its own on <c>CT_HISTORY</c>, from that instant on. The consumer does not stop at the present: it
/// goes on with each message as the stream stores it, so there is no junction between replay and live to lose messages
/// at. The replay goes at the client's pace (<see cref="ClientSession.OfferReplayAsync"/>), dropping nothing.
/// </summary>
internal sealed class History(NatsConnector connector, ILogger<History> logger)
{
    /// <summary>
    /// How far before <c>since</c> the replay starts. A message is stored after its <c>data.seen</c> on the ingestor's
    /// clock; this margin covers that clock running ahead of the NATS server's (the repeats it brings are allowed).
    /// </summary>
    public static readonly TimeSpan ClockMargin = TimeSpan.FromSeconds(5);

    /// <summary>How far ahead of the edge's clock a <c>since</c> may be before it is refused as in the future.</summary>
    public static readonly TimeSpan FutureTolerance = TimeSpan.FromMinutes(1);

    /// <summary>
    /// The <c>since</c> of a request: the SSE <c>Last-Event-ID</c> header when present (an EventSource's reconnect), else the
    /// <c>since</c> query parameter; null when neither is given; an <paramref name="error"/> of one line when it is not a
    /// Unix time in seconds, or lies in the future.
    /// </summary>
    public static double? ParseSince(IQueryCollection query, string? lastEventId, DateTimeOffset now, out string? error)
    {
        error = null;
        string? text;
        string what;
        if (!string.IsNullOrEmpty(lastEventId))
        {
            (text, what) = (lastEventId, "Last-Event-ID");
        }
        else if (query.TryGetValue("since", out var values))
        {
            if (values.Count > 1)
            {
                error = $"since: given {values.Count} times; give it once";
                return null;
            }
            (text, what) = (values[0] ?? "", "since");
        }
        else
        {
            return null;
        }
        if (!double.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var since) || !double.IsFinite(since))
        {
            error = $"{what}: expected Unix seconds (e.g. 1733500000.25), got \"{(text.Length <= 40 ? text : text[..40] + "…")}\"";
            return null;
        }
        if (since > now.ToUnixTimeMilliseconds() / 1000.0 + FutureTolerance.TotalSeconds)
        {
            error = $"{what}: {text} is in the future";
            return null;
        }
        return since;
    }

    /// <summary>
    /// Whether the history keeps <paramref name="kind"/> and what it holds now: a <see cref="HistoryCheck"/> with the problem
    /// (and the HTTP status to refuse with) when a resume of that stream cannot be served.
    /// </summary>
    public async Task<HistoryCheck> CheckAsync(StreamKind kind, double since, CancellationToken cancellationToken)
    {
        if (!connector.IsConnected)
            return HistoryCheck.Refused(StatusCodes.Status503ServiceUnavailable, "history unavailable: not connected to NATS; try again");
        StreamInfo info;
        try
        {
            var stream = await new NatsJSContext(connector.Connection).GetStreamAsync(JetStreamNames.HistoryStream, cancellationToken: cancellationToken);
            info = stream.Info;
        }
        catch (NatsJSApiException e) when (e.Error.ErrCode == JetStreamErrors.StreamNotFound)
        {
            return HistoryCheck.Refused(StatusCodes.Status400BadRequest, "since: this server keeps no history (history.streams is empty)");
        }
        catch (Exception e) when (e is NatsException or TimeoutException)
        {
            logger.LogWarning("Reading {Stream} for a resume failed: {Error}", JetStreamNames.HistoryStream, e.Message);
            return HistoryCheck.Refused(StatusCodes.Status503ServiceUnavailable, "history unavailable; try again");
        }
        if (info.Config.Subjects?.Contains(SubjectOf(kind)) != true)
            return HistoryCheck.Refused(StatusCodes.Status400BadRequest, $"since: the {kind.Name()} stream has no history here (history.streams)");

        // Messages were removed (first_seq > 1) and the oldest kept one is newer than since: some of what the client
        // asked for may be gone. (When nothing was ever removed, a since before the first message lost nothing.)
        var state = info.State;
        double? oldest = state.Messages > 0 && DateTimeOffset.TryParse(state.FirstTs, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var first)
            ? first.ToUnixTimeMilliseconds() / 1000.0
            : null;
        var truncated = state.FirstSeq > 1 && (oldest is null || since < oldest.Value);
        return new HistoryCheck(0, null, truncated, oldest);
    }

    /// <summary>
    /// Feeds <paramref name="session"/> from <c>since</c> on until it closes or <paramref name="cancellationToken"/> fires:
    /// first, when <paramref name="check"/> found the history shorter than asked, a <c>resume_gap</c> message.
    /// </summary>
    public async Task ReplayAsync(ClientSession session, double since, HistoryCheck check, CancellationToken cancellationToken)
    {
        try
        {
            if (check.Truncated && !await session.OfferReplayAsync(GapMessage(since, check.Oldest), null, cancellationToken))
                return;
            var start = DateTimeOffset.FromUnixTimeMilliseconds((long)((since - ClockMargin.TotalSeconds) * 1000));
            var filter = session.Filter;
            var reader = new HistoryReader(connector.Connection, logger);
            await foreach (var msg in reader.ReadAsync(SubjectOf(session.Kind), 0, start, null, null, cancellationToken))
            {
                if (msg.Data is not { } data) continue;
                if (filter is not null && !filter.Matches(MessageFacts.From(msg.Headers))) continue;
                if (!await session.OfferReplayAsync(data, session.IsEventStream ? MessageFacts.SeenOf(msg.Headers) : null, cancellationToken))
                    return;
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // The session ended.
        }
        catch (Exception e) when (e is NatsException or TimeoutException)
        {
            logger.LogWarning("Replay of {Stream} for a resumed client failed; closing it (1011) so that it resumes again: {Error}", session.Kind.Name(), e.Message);
            session.RequestClose(DisconnectReason.HistoryUnavailable);
        }
    }

    private static string SubjectOf(StreamKind kind) => Subjects.AllOf(kind.Name());

    /// <summary>
    /// <c>{"message_type":"resume_gap","data":{"since":…,"oldest":…}}</c>: the history no longer holds everything since
    /// <c>since</c>; the replay starts from <c>oldest</c> (null: it holds nothing right now).
    /// </summary>
    internal static byte[] GapMessage(double since, double? oldest) =>
        Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture,
            $"{{\"message_type\":\"resume_gap\",\"data\":{{\"since\":{since:R},\"oldest\":{(oldest is { } o ? o.ToString("R", CultureInfo.InvariantCulture) : "null")}}}}}\n"));
}

/// <summary>What <see cref="History.CheckAsync"/> found: a refusal (status and one-line reason), or whether the history is shorter than asked.</summary>
internal readonly record struct HistoryCheck(int Status, string? Problem, bool Truncated, double? Oldest)
{
    public static HistoryCheck Refused(int status, string problem) => new(status, problem, false, null);
}
