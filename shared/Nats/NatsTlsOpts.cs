namespace Certstream.Nats;

/// <summary>TLS settings. TLS is used when the URL is <c>tls://</c>, <see cref="Required"/> is set, or the server says <c>tls_required</c> (§1.4 step 2).</summary>
public sealed record NatsTlsOpts
{
    public bool Required { get; init; }

    /// <summary>PEM file with the CA(s) that sign the server certificate; replaces the system trust store.</summary>
    public string? CaFile { get; init; }

    /// <summary>PEM client certificate and key, for servers with <c>verify: true</c>.</summary>
    public string? CertFile { get; init; }

    public string? KeyFile { get; init; }

    /// <summary>Accept any server certificate. Tests only.</summary>
    public bool InsecureSkipVerify { get; init; }
}
