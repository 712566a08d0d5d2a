using Certstream.Hosting.Configuration;
using Microsoft.Extensions.Logging;
using NATS.Client.Core;

namespace Certstream.Hosting.Messaging;

/// <summary>The <c>nats:</c> config section (README "Configuration") as NATS.Net's options.</summary>
public static class NatsOptionsMapping
{
    /// <summary>How long a publish may wait for room in the client's buffer while the server is unreachable, and a request for its answer.</summary>
    public static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Bytes NATS.Net buffers for sending before a publish waits for its writer loop (its default is 64 KiB, some 25 of the
    /// parser's messages: then nearly every publish waits for a socket write).
    /// </summary>
    public const int WriterBufferSize = 1024 * 1024;

    /// <summary>Messages a subscription holds before further ones are dropped and counted (the edge's feed reads them at once).</summary>
    public const int SubscriptionCapacity = 65536;

    public static NatsOpts ToNatsOpts(this NatsOptions options, string connectionName, ILoggerFactory? loggers = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        static string? OrNull(string value) => value.Length == 0 ? null : value;
        var tls = options.Tls;
        // A seed-only NKey file (what `nk -gen user` writes): the public key is derived from it, which NATS.Net's own
        // NKeyFile option would require as a second line.
        var (seed, nkey) = options.NkeyFile.Length > 0 ? NatsCredentialFiles.ReadNKeySeed(options.NkeyFile) : (null, null);
        return NatsOpts.Default with
        {
            Url = string.Join(",", options.Servers),
            Name = connectionName,
            // The services never read what they publish themselves.
            Echo = false,
            AuthOpts = NatsAuthOpts.Default with
            {
                Username = OrNull(options.User),
                Password = OrNull(options.Password),
                Token = OrNull(options.Token),
                CredsFile = OrNull(options.CredsFile),
                Seed = seed,
                NKey = nkey,
            },
            TlsOpts = NatsTlsOpts.Default with
            {
                // A CA or client certificate means the operator wants TLS even if the server does not demand it.
                Mode = tls.CaFile.Length > 0 || tls.CertFile.Length > 0 ? TlsMode.Require : TlsMode.Auto,
                CaFile = OrNull(tls.CaFile),
                CertFile = OrNull(tls.CertFile),
                KeyFile = OrNull(tls.KeyFile),
            },
            // Reconnect quickly, with jitter so that many replicas do not return in lockstep, to every server forever.
            ReconnectWaitMin = TimeSpan.FromMilliseconds(100),
            ReconnectWaitMax = TimeSpan.FromMilliseconds(1500),
            ReconnectJitter = TimeSpan.FromMilliseconds(100),
            MaxReconnectRetry = -1,
            // A wrong credential stays "not ready, retrying" with one log line, instead of a connection that gives up for good.
            IgnoreAuthErrorAbort = true,
            CommandTimeout = CommandTimeout,
            RequestTimeout = CommandTimeout,
            SubPendingChannelCapacity = SubscriptionCapacity,
            WriterBufferSize = WriterBufferSize,
            LoggerFactory = loggers ?? NatsOpts.Default.LoggerFactory,
        };
    }

    /// <summary>How the options authenticate, for log lines (never the secret itself).</summary>
    public static string AuthMethod(this NatsOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.CredsFile.Length > 0) return $"user JWT from nats.creds_file {options.CredsFile}";
        if (options.NkeyFile.Length > 0) return $"NKey from nats.nkey_file {options.NkeyFile}";
        if (options.Token.Length > 0) return "token";
        if (options.User.Length > 0) return $"user {options.User}";
        return "no authentication";
    }
}
