using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;

namespace Certstream.Nats.Internal;

/// <summary>The explicit TLS upgrade after INFO (§1.4 step 2): optional private CA and client certificate.</summary>
internal static class TlsUpgrade
{
    public static async Task<SslStream> AuthenticateAsync(Stream inner, string host, NatsTlsOpts opts, CancellationToken cancellationToken)
    {
        X509Certificate2Collection? caCerts = null;
        if (opts.CaFile is not null)
        {
            caCerts = [];
            caCerts.ImportFromPemFile(opts.CaFile);
        }
        var ssl = new SslStream(inner, leaveInnerStreamOpen: false, (_, cert, _, errors) => Validate(cert, errors, opts, caCerts));
        var auth = new SslClientAuthenticationOptions
        {
            TargetHost = host,
            EnabledSslProtocols = SslProtocols.None, // the OS default: TLS 1.2/1.3
        };
        if (opts.CertFile is not null)
        {
            var clientCert = X509Certificate2.CreateFromPemFile(opts.CertFile, opts.KeyFile);
            auth.ClientCertificates = [clientCert];
        }
        try
        {
            await ssl.AuthenticateAsClientAsync(auth, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await ssl.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        return ssl;
    }

    private static bool Validate(X509Certificate? cert, SslPolicyErrors errors, NatsTlsOpts opts, X509Certificate2Collection? caCerts)
    {
        if (opts.InsecureSkipVerify) return true;
        if (errors == SslPolicyErrors.None) return true;
        if (cert is null || caCerts is null) return false;
        // Name mismatch or a missing certificate is never acceptable; only the chain is re-checked against our CA.
        if ((errors & ~SslPolicyErrors.RemoteCertificateChainErrors) != 0) return false;
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.CustomTrustStore.AddRange(caCerts);
        using var leaf = new X509Certificate2(cert);
        return chain.Build(leaf);
    }
}
