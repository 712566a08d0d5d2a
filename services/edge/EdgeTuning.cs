namespace Certstream.Edge;

/// <summary>
/// The edge's operating constants that are not config keys (the <c>webserver:</c> section is
/// <see cref="Certstream.Hosting.Configuration.WebserverOptions"/>). Tests shorten them.
/// </summary>
internal sealed record EdgeTuning
{
    /// <summary>How long a closing session waits for a stuck send or the client's close reply before dropping the connection.</summary>
    public TimeSpan CloseTimeout { get; init; } = TimeSpan.FromSeconds(5);
}
