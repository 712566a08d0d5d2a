namespace Certstream.Hosting.Configuration;

/// <summary>The <c>nats.tls:</c> section; empty paths mean "not used".</summary>
public sealed record NatsTlsOptions
{
    public string CaFile { get; init; } = "";
    public string CertFile { get; init; } = "";
    public string KeyFile { get; init; } = "";
}
