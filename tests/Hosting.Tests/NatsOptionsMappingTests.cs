using Certstream.Hosting.Configuration;
using Certstream.Hosting.Messaging;
using NATS.Client.Core;

namespace Certstream.Hosting.Tests;

/// <summary>The <c>nats:</c> section as NATS.Net's options: every server, no echo, reconnect forever with jitter, bounded waits.</summary>
public sealed class NatsOptionsMappingTests
{
    [Fact]
    public void Every_server_is_used_echo_is_off_and_reconnects_go_on_forever_with_jitter()
    {
        var opts = new NatsOptions { Url = "nats://a:4222, nats://b:4222,tls://c:4443" }.ToNatsOpts("certstream-edge-host");
        Assert.Equal("nats://a:4222,nats://b:4222,tls://c:4443", opts.Url);
        Assert.Equal("certstream-edge-host", opts.Name);
        Assert.False(opts.Echo);
        Assert.Equal(-1, opts.MaxReconnectRetry);
        Assert.True(opts.ReconnectJitter > TimeSpan.Zero);
        Assert.True(opts.IgnoreAuthErrorAbort, "a wrong credential must not end the connection for good");
        Assert.Equal(NatsOptionsMapping.CommandTimeout, opts.RequestTimeout);
        Assert.True(opts.AuthOpts.IsAnonymous);
        Assert.Equal(TlsMode.Auto, opts.TlsOpts.Mode);
    }

    [Fact]
    public void User_password_and_token_are_passed_and_a_CA_or_client_certificate_requires_TLS()
    {
        var user = new NatsOptions { User = "u", Password = "p" }.ToNatsOpts("n");
        Assert.Equal(("u", "p"), (user.AuthOpts.Username, user.AuthOpts.Password));
        Assert.Equal("t", new NatsOptions { Token = "t" }.ToNatsOpts("n").AuthOpts.Token);
        Assert.Equal("user u", new NatsOptions { User = "u", Password = "p" }.AuthMethod());
        Assert.Equal("token", new NatsOptions { Token = "t" }.AuthMethod());
        Assert.Equal("no authentication", new NatsOptions().AuthMethod());

        var tls = new NatsOptions { Tls = new NatsTlsOptions { CaFile = "/ca.pem", CertFile = "/c.pem", KeyFile = "/k.pem" } }.ToNatsOpts("n");
        Assert.Equal(TlsMode.Require, tls.TlsOpts.Mode);
        Assert.Equal(("/ca.pem", "/c.pem", "/k.pem"), (tls.TlsOpts.CaFile, tls.TlsOpts.CertFile, tls.TlsOpts.KeyFile));
    }
}
