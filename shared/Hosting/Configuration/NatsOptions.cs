namespace Certstream.Hosting.Configuration;

/// <summary>The <c>nats:</c> section.</summary>
public sealed record NatsOptions
{
    /// <summary>One or more server URLs, comma-separated, as written in the file.</summary>
    public string Url { get; init; } = "nats://127.0.0.1:4222";
    public string User { get; init; } = "";
    public string Password { get; init; } = "";
    public string Token { get; init; } = "";

    /// <summary>A NATS credentials file (user JWT and NKey seed), for servers in operator/JWT mode.</summary>
    public string CredsFile { get; init; } = "";

    /// <summary>A file holding an NKey user seed (<c>SU…</c>), for servers with <c>nkey:</c> users.</summary>
    public string NkeyFile { get; init; } = "";
    public NatsTlsOptions Tls { get; init; } = new();

    /// <summary>
    /// Replicas of every JetStream object the services create (CT_RAW, CT_HISTORY, CT_UNIQUE, the KV buckets): 1 for one
    /// server, 3 for a cluster (README "A NATS cluster").
    /// </summary>
    public int Replicas { get; init; } = 1;

    /// <summary>The server URLs of <see cref="Url"/>, split and trimmed.</summary>
    public IReadOnlyList<string> Servers =>
        Url.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
