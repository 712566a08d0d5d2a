namespace Certstream.Edge;

/// <summary>
/// The edge's operating constants that are not config keys (the <c>webserver:</c> section is
/// <see cref="Certstream.Hosting.Configuration.WebserverOptions"/>). Tests shorten them.
/// </summary>
internal sealed record EdgeTuning
{
    /// <summary>How long a closing session waits for a stuck send or the client's close reply before dropping the connection.</summary>
    public TimeSpan CloseTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Bytes Kestrel buffers per connection for sending before a send waits (its socket transport's default is 64 KiB).
    /// Each buffered message is a copy framed for one client; a client that reads slowly should leave its backlog in
    /// its <see cref="SendQueue"/>, which holds references to the shared messages, not 64 KiB of copies per connection.
    /// </summary>
    public int SocketWriteBufferBytes { get; init; } = 16 * 1024;
}
