namespace Certstream.Parser;

/// <summary>The parser service's operating constants beside the config keys; tests shorten them.</summary>
internal sealed record ParserTuning
{
    /// <summary>How often <c>certstream_parser_consumer_pending</c> is refreshed from consumer info.</summary>
    public TimeSpan PendingRefresh { get; init; } = TimeSpan.FromSeconds(5);
}
