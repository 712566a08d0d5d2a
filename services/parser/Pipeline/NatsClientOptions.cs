using Certstream.Hosting.Configuration;
using Certstream.Nats;

namespace Certstream.Parser.Pipeline;

/// <summary>
/// The <c>nats:</c> section (SPEC §6) as client options. Kept here because shared/Hosting does not reference the
/// NATS client; the edge and the ingestor need the same mapping.
/// </summary>
internal static class NatsClientOptions
{
    public static NatsOpts From(NatsOptions nats, string clientName)
    {
        ArgumentNullException.ThrowIfNull(nats);
        var tls = nats.Tls;
        return new NatsOpts
        {
            Url = string.Join(',', nats.Servers),
            Name = clientName,
            User = OrNull(nats.User),
            Password = OrNull(nats.Password),
            Token = OrNull(nats.Token),
            Tls = new NatsTlsOpts
            {
                // A CA or client certificate in the config means the operator wants TLS even with nats:// URLs.
                Required = tls.CaFile.Length > 0 || tls.CertFile.Length > 0,
                CaFile = OrNull(tls.CaFile),
                CertFile = OrNull(tls.CertFile),
                KeyFile = OrNull(tls.KeyFile),
            },
        };
    }

    private static string? OrNull(string value) => value.Length == 0 ? null : value;
}
