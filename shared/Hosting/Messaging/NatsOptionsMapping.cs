using Certstream.Hosting.Configuration;
using Certstream.Nats;

namespace Certstream.Hosting.Messaging;

/// <summary>The <c>nats:</c> config section (SPEC §6) as the client's options.</summary>
public static class NatsOptionsMapping
{
    public static NatsOpts ToNatsOpts(this NatsOptions options, string connectionName)
    {
        ArgumentNullException.ThrowIfNull(options);
        static string? OrNull(string value) => value.Length == 0 ? null : value;
        var tls = options.Tls;
        return new NatsOpts
        {
            Url = string.Join(",", options.Servers),
            Name = connectionName,
            User = OrNull(options.User),
            Password = OrNull(options.Password),
            Token = OrNull(options.Token),
            Tls = new NatsTlsOpts
            {
                // A CA or client certificate means the operator wants TLS even if the server does not demand it.
                Required = tls.CaFile.Length > 0 || tls.CertFile.Length > 0,
                CaFile = OrNull(tls.CaFile),
                CertFile = OrNull(tls.CertFile),
                KeyFile = OrNull(tls.KeyFile),
            },
        };
    }
}
