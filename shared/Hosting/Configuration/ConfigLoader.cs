using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Certstream.Hosting.Configuration;

/// <summary>
/// Reads the YAML file of README "Configuration" into <see cref="CertstreamConfig"/>, then applies the
/// <c>CERTSTREAM_&lt;SECTION&gt;_&lt;KEY&gt;</c> environment overrides. The mapping is written out key by
/// key below so every error can name its key and line. Any problem throws <see cref="ConfigException"/>.
/// </summary>
public static class ConfigLoader
{
    /// <summary>The file used when no <c>-c/--config</c> is given.</summary>
    public const string DefaultPath = "config.yaml";

    private static readonly string[] Sections = ["nats", "general", "ingestor", "parser", "history", "unique", "webserver", "prometheus"];

    /// <summary>Loads <paramref name="path"/> (which must exist) with the overrides in <paramref name="environment"/>.</summary>
    public static CertstreamConfig Load(string path, IReadOnlyDictionary<string, string> environment)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new ConfigException($"{path}: config file not found", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ConfigException($"{path}: cannot read config file: {e.Message}", e);
        }
        return Parse(text, path, environment);
    }

    /// <summary>The built-in defaults with the overrides in <paramref name="environment"/> (no file).</summary>
    public static CertstreamConfig FromEnvironment(IReadOnlyDictionary<string, string> environment) =>
        Bind(new ConfigReadContext(null, environment), null);

    /// <summary>Parses YAML text; <paramref name="fileName"/> is only used in messages.</summary>
    public static CertstreamConfig Parse(string yaml, string fileName, IReadOnlyDictionary<string, string> environment)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException e)
        {
            throw new ConfigException($"{fileName}:{e.Start.Line}: invalid YAML: {YamlErrors.Describe(e)}", e);
        }
        var context = new ConfigReadContext(fileName, environment);
        var root = stream.Documents.Count == 0 ? null : stream.Documents[0].RootNode;
        if (stream.Documents.Count > 1)
            throw new ConfigException($"{fileName}:{stream.Documents[1].RootNode.Start.Line}: only one YAML document is allowed");
        return root switch
        {
            null => Bind(context, null),
            YamlMappingNode mapping => Bind(context, mapping),
            YamlScalarNode { Value: null or "" } => Bind(context, null),
            _ => throw new ConfigException($"{context.Where(root)}: expected a mapping of sections ({string.Join(", ", Sections)})"),
        };
    }

    /// <summary>The CERTSTREAM_* variables of this process.</summary>
    public static IReadOnlyDictionary<string, string> ProcessEnvironment()
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (System.Collections.DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            if (entry.Key is string name && name.StartsWith(ConfigReadContext.EnvironmentPrefix, StringComparison.Ordinal))
                result[name] = entry.Value as string ?? "";
        }
        return result;
    }

    private static CertstreamConfig Bind(ConfigReadContext context, YamlMappingNode? rootNode)
    {
        var root = new ConfigSection(context, "", rootNode, overridable: true);
        var defaults = new CertstreamConfig();
        var config = new CertstreamConfig
        {
            Nats = ReadNats(root.Section("nats"), defaults.Nats),
            General = ReadGeneral(root.Section("general"), defaults.General),
            Ingestor = ReadIngestor(root.Section("ingestor"), defaults.Ingestor),
            Parser = ReadParser(root.Section("parser"), defaults.Parser),
            History = ReadHistory(root.Section("history"), defaults.History),
            Unique = ReadUnique(root.Section("unique"), defaults.Unique),
            Webserver = ReadWebserver(root.Section("webserver"), defaults.Webserver),
            Prometheus = ReadPrometheus(root.Section("prometheus"), defaults.Prometheus, out var prometheus),
        };
        root.RejectUnknownKeys();
        context.RejectUnknownVariables(Sections);

        // The edge serves metrics on its web port, so the paths must not collide (README "Configuration").
        var metricsUrl = config.Prometheus.MetricsUrl;
        if (config.Prometheus.Enabled)
        {
            foreach (var (key, path) in new[] { ("lite_url", config.Webserver.LiteUrl), ("full_url", config.Webserver.FullUrl), ("domains_only_url", config.Webserver.DomainsOnlyUrl) })
            {
                if (string.Equals(path, metricsUrl, StringComparison.Ordinal))
                    throw prometheus.Invalid("metrics_url", $"\"{metricsUrl}\" is also webserver.{key}");
            }
        }
        return config;
    }

    private static NatsOptions ReadNats(ConfigSection s, NatsOptions d)
    {
        var tlsSection = s.Section("tls");
        var tls = new NatsTlsOptions
        {
            CaFile = ExistingFile(tlsSection, "ca_file", d.Tls.CaFile),
            CertFile = ExistingFile(tlsSection, "cert_file", d.Tls.CertFile),
            KeyFile = ExistingFile(tlsSection, "key_file", d.Tls.KeyFile),
        };
        tlsSection.RejectUnknownKeys();
        if ((tls.CertFile.Length == 0) != (tls.KeyFile.Length == 0))
            throw tlsSection.Invalid(tls.CertFile.Length == 0 ? "key_file" : "cert_file", "cert_file and key_file must be set together");

        var options = new NatsOptions
        {
            Url = s.Scalar("url", d.Url, ConfigScalars.NatsUrls),
            User = s.String("user", d.User),
            Password = s.String("password", d.Password),
            Token = s.String("token", d.Token),
            CredsFile = ExistingFile(s, "creds_file", d.CredsFile),
            NkeyFile = ExistingFile(s, "nkey_file", d.NkeyFile),
            Tls = tls,
            // JetStream allows 1 to 5 replicas.
            Replicas = s.Int("replicas", d.Replicas, 1, 5),
        };
        s.RejectUnknownKeys();
        if (options.Password.Length > 0 && options.User.Length == 0) throw s.Invalid("password", "needs nats.user");
        var methods = new[] { ("user", options.User), ("token", options.Token), ("creds_file", options.CredsFile), ("nkey_file", options.NkeyFile) }
            .Where(m => m.Item2.Length > 0).Select(m => m.Item1).ToList();
        if (methods.Count > 1)
            throw s.Invalid(methods[1], $"use one way to authenticate, not {string.Join(" and ", methods)}");
        if (options.CredsFile.Length > 0 && NatsCredentialFiles.CheckCreds(options.CredsFile) is { } credsError)
            throw s.Invalid("creds_file", credsError);
        if (options.NkeyFile.Length > 0 && NatsCredentialFiles.CheckNKeySeed(options.NkeyFile) is { } seedError)
            throw s.Invalid("nkey_file", seedError);
        return options;
    }

    private static GeneralOptions ReadGeneral(ConfigSection s, GeneralOptions d)
    {
        var options = new GeneralOptions
        {
            LogListUrl = s.Scalar("log_list_url", d.LogListUrl, ConfigScalars.HttpUrl),
            DisableDefaultLogs = s.Bool("disable_default_logs", d.DisableDefaultLogs),
            AdditionalLogs = s.MappingList("additional_logs", d.AdditionalLogs, ReadLogSource),
            AdditionalTiledLogs = s.MappingList("additional_tiled_logs", d.AdditionalTiledLogs, ReadLogSource),
            ExcludedLogs = s.MappingList("excluded_logs", d.ExcludedLogs, ReadExclusion),
            LogStates = s.ScalarList("log_states", d.LogStates, ConfigScalars.LogState),
            StartAt = s.Scalar("start_at", d.StartAt, ConfigScalars.StartAt),
            Verify = s.Scalar("verify", d.Verify, ConfigScalars.Verify),
            UserAgent = s.String("user_agent", d.UserAgent).Replace("<version>", ProductVersion.Current, StringComparison.Ordinal),
        };
        s.RejectUnknownKeys();
        if (options.UserAgent.Length == 0) throw s.Invalid("user_agent", "must not be empty");
        if (options.DisableDefaultLogs && options.AdditionalLogs.Count == 0 && options.AdditionalTiledLogs.Count == 0)
            throw s.Invalid("disable_default_logs", "no logs left to follow: add additional_logs or additional_tiled_logs");
        return options;
    }

    private static CtLogSource ReadLogSource(ConfigSection s)
    {
        var url = s.Scalar("url", "", ConfigScalars.HttpUrl);
        if (url.Length == 0) throw s.Invalid("url", "missing (each log needs url, operator, description)");
        return new CtLogSource(url, s.String("operator", ""), s.String("description", ""), s.Scalar("key", "", ConfigScalars.PublicKey));
    }

    private static LogExclusion ReadExclusion(ConfigSection s)
    {
        var url = s.String("url", "");
        var logOperator = s.String("operator", "");
        if (url.Length == 0 && logOperator.Length == 0) throw s.Invalid("url", "each exclusion needs url or operator");
        return new LogExclusion(url.Length == 0 ? null : url, logOperator.Length == 0 ? null : logOperator);
    }

    private static IngestorOptions ReadIngestor(ConfigSection s, IngestorOptions d)
    {
        var options = new IngestorOptions
        {
            ParallelFetch = s.Int("parallel_fetch", d.ParallelFetch, 1, 64),
            SthPollInterval = s.Duration("sth_poll_interval", d.SthPollInterval, zeroAllowed: false),
            PartialTileWait = s.Duration("partial_tile_wait", d.PartialTileWait, zeroAllowed: true),
            FetchBuffer = s.Size("fetch_buffer", d.FetchBuffer),
            RawMaxAge = s.Duration("raw_max_age", d.RawMaxAge, zeroAllowed: false),
            MetricsPort = s.Port("metrics_port", d.MetricsPort),
            MetricsAddr = s.Scalar("metrics_addr", d.MetricsAddr, OptionalIpAddress),
        };
        s.RejectUnknownKeys();
        return options;
    }

    private static ParserOptions ReadParser(ConfigSection s, ParserOptions d)
    {
        var options = new ParserOptions
        {
            Concurrency = s.Int("concurrency", d.Concurrency, 0, 1024),
            FetchBatch = s.Int("fetch_batch", d.FetchBatch, 1, 100_000),
            MetricsPort = s.Port("metrics_port", d.MetricsPort),
            MetricsAddr = s.Scalar("metrics_addr", d.MetricsAddr, OptionalIpAddress),
        };
        s.RejectUnknownKeys();
        return options;
    }

    private static HistoryOptions ReadHistory(ConfigSection s, HistoryOptions d)
    {
        var options = new HistoryOptions
        {
            Streams = s.ScalarList("streams", d.Streams, static text =>
                HistoryOptions.StreamNames.Contains(text) ? (text, null) : (text, $"\"{text}\" is not a stream: expected {string.Join(", ", HistoryOptions.StreamNames)}")),
            MaxAge = s.Duration("max_age", d.MaxAge, zeroAllowed: false),
            MaxBytes = s.Size("max_bytes", d.MaxBytes),
        };
        s.RejectUnknownKeys();
        if (options.Streams.Distinct(StringComparer.Ordinal).Count() != options.Streams.Count)
            throw s.Invalid("streams", "a stream is listed twice");
        return options;
    }

    private static UniqueOptions ReadUnique(ConfigSection s, UniqueOptions d)
    {
        var options = new UniqueOptions { Window = s.Duration("window", d.Window, zeroAllowed: true) };
        s.RejectUnknownKeys();
        return options;
    }

    private static WebserverOptions ReadWebserver(ConfigSection s, WebserverOptions d)
    {
        var options = new WebserverOptions
        {
            ListenAddr = s.Scalar("listen_addr", d.ListenAddr, ConfigScalars.IpAddress),
            ListenPort = s.Port("listen_port", d.ListenPort),
            LiteUrl = s.Scalar("lite_url", d.LiteUrl, ConfigScalars.UrlPath),
            FullUrl = s.Scalar("full_url", d.FullUrl, ConfigScalars.UrlPath),
            DomainsOnlyUrl = s.Scalar("domains_only_url", d.DomainsOnlyUrl, ConfigScalars.UrlPath),
            CertPath = ExistingFile(s, "cert_path", d.CertPath),
            CertKeyPath = ExistingFile(s, "cert_key_path", d.CertKeyPath),
            CompressionEnabled = s.Bool("compression_enabled", d.CompressionEnabled),
            RealIp = s.Bool("real_ip", d.RealIp),
            TrustedProxies = s.ScalarList("trusted_proxies", d.TrustedProxies, ConfigScalars.IpNetwork),
            Whitelist = s.ScalarList("whitelist", d.Whitelist, ConfigScalars.IpNetwork),
            AuthTokens = s.ScalarList("auth_tokens", d.AuthTokens, ConfigScalars.NonEmpty),
            MaxClients = s.Int("max_clients", d.MaxClients, 0, int.MaxValue),
            MaxClientsPerIp = s.Int("max_clients_per_ip", d.MaxClientsPerIp, 0, int.MaxValue),
            PingInterval = s.Duration("ping_interval", d.PingInterval, zeroAllowed: false),
            ClientTimeout = s.Duration("client_timeout", d.ClientTimeout, zeroAllowed: false),
            HeartbeatInterval = s.Duration("heartbeat_interval", d.HeartbeatInterval, zeroAllowed: true),
            ClientBuffer = s.Size("client_buffer", d.ClientBuffer),
            SlowClientTimeout = s.Duration("slow_client_timeout", d.SlowClientTimeout, zeroAllowed: false),
        };
        s.RejectUnknownKeys();
        if (options.FullUrl == options.LiteUrl) throw s.Invalid("full_url", "must differ from lite_url");
        if (options.DomainsOnlyUrl == options.LiteUrl || options.DomainsOnlyUrl == options.FullUrl)
            throw s.Invalid("domains_only_url", "must differ from lite_url and full_url");
        if ((options.CertPath.Length == 0) != (options.CertKeyPath.Length == 0))
            throw s.Invalid(options.CertPath.Length == 0 ? "cert_key_path" : "cert_path", "cert_path and cert_key_path must be set together");
        // Pings are what keep a client that sends nothing of its own alive, so they must come first. Name the key
        // that was set: ping_interval raised alone past the default client_timeout is the ping's fault.
        if (options.ClientTimeout <= options.PingInterval)
        {
            throw s.IsSet("ping_interval") && !s.IsSet("client_timeout")
                ? s.Invalid("ping_interval", "must be shorter than client_timeout")
                : s.Invalid("client_timeout", "must be longer than ping_interval");
        }
        return options;
    }

    private static PrometheusOptions ReadPrometheus(ConfigSection s, PrometheusOptions d, out ConfigSection section)
    {
        section = s;
        var options = new PrometheusOptions
        {
            Enabled = s.Bool("enabled", d.Enabled),
            MetricsUrl = s.Scalar("metrics_url", d.MetricsUrl, ConfigScalars.UrlPath),
            Whitelist = s.ScalarList("whitelist", d.Whitelist, ConfigScalars.IpNetwork),
        };
        s.RejectUnknownKeys();
        if (options.MetricsUrl is "/healthz" or "/readyz") throw s.Invalid("metrics_url", $"\"{options.MetricsUrl}\" is taken by the health checks");
        return options;
    }

    // "" (every interface) or an IP address.
    private static (string Value, string? Problem) OptionalIpAddress(string text) => text.Length == 0 ? ("", null) : ConfigScalars.IpAddress(text);

    // Paths are relative to the working directory, as in certstream-server-go; checked now so a typo fails at start-up.
    private static string ExistingFile(ConfigSection s, string key, string fallback)
    {
        var path = s.String(key, fallback);
        if (path.Length > 0 && !File.Exists(path)) throw s.Invalid(key, $"no such file \"{path}\"");
        return path;
    }
}
