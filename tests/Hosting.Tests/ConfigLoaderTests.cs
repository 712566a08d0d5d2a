using System.Net;
using Certstream.Hosting.Configuration;

namespace Certstream.Hosting.Tests;

public sealed class ConfigLoaderTests
{
    private static readonly Dictionary<string, string> NoEnvironment = [];

    private static CertstreamConfig Parse(string yaml) => ConfigLoader.Parse(yaml, "test.yaml", NoEnvironment);

    private static string ErrorOf(string yaml) =>
        Assert.Throws<ConfigException>(() => Parse(yaml)).Message;

    [Fact]
    public void Built_in_defaults_are_those_of_the_spec()
    {
        var c = new CertstreamConfig();
        Assert.Equal("nats://127.0.0.1:4222", c.Nats.Url);
        Assert.Equal(["nats://127.0.0.1:4222"], c.Nats.Servers);
        Assert.Equal(("", "", ""), (c.Nats.User, c.Nats.Password, c.Nats.Token));
        Assert.Equal(new NatsTlsOptions { CaFile = "", CertFile = "", KeyFile = "" }, c.Nats.Tls);
        Assert.Equal("https://www.gstatic.com/ct/log_list/v3/log_list.json", c.General.LogListUrl);
        Assert.False(c.General.DisableDefaultLogs);
        Assert.Empty(c.General.AdditionalLogs);
        Assert.Empty(c.General.AdditionalTiledLogs);
        Assert.Empty(c.General.ExcludedLogs);
        Assert.Equal(["usable", "qualified", "readonly"], c.General.LogStates);
        Assert.True(c.General.StartAt.IsHead);
        Assert.Equal(VerifyMode.Warn, c.General.Verify);
        Assert.Equal("certstream-nats/" + ProductVersion.Current, c.General.UserAgent);
        Assert.Equal(4, c.Ingestor.ParallelFetch);
        Assert.Equal(TimeSpan.FromSeconds(2), c.Ingestor.SthPollInterval);
        Assert.Equal(TimeSpan.FromSeconds(60), c.Ingestor.PartialTileWait);
        Assert.Equal(16L * 1024 * 1024, c.Ingestor.FetchBuffer);
        Assert.Equal(TimeSpan.FromHours(24), c.Ingestor.RawMaxAge);
        Assert.Equal(9101, c.Ingestor.MetricsPort);
        Assert.Equal(0, c.Parser.Concurrency);
        Assert.Equal(Environment.ProcessorCount, c.Parser.EffectiveConcurrency);
        Assert.Equal(256, c.Parser.FetchBatch);
        Assert.Equal(9102, c.Parser.MetricsPort);
        var w = c.Webserver;
        Assert.Equal(("0.0.0.0", 8080), (w.ListenAddr, w.ListenPort));
        Assert.Equal(("/", "/full-stream", "/domains-only"), (w.LiteUrl, w.FullUrl, w.DomainsOnlyUrl));
        Assert.Equal(("", ""), (w.CertPath, w.CertKeyPath));
        Assert.False(w.TlsEnabled);
        Assert.False(w.CompressionEnabled);
        Assert.False(w.RealIp);
        Assert.Empty(w.TrustedProxies);
        Assert.Empty(w.Whitelist);
        Assert.Empty(w.AuthTokens);
        Assert.Equal((10000, 0), (w.MaxClients, w.MaxClientsPerIp));
        Assert.Equal(TimeSpan.FromSeconds(30), w.PingInterval);
        Assert.Equal(TimeSpan.FromSeconds(65), w.ClientTimeout);
        Assert.Equal(TimeSpan.FromSeconds(30), w.HeartbeatInterval);
        Assert.Equal(4L * 1024 * 1024, w.ClientBuffer);
        Assert.Equal(TimeSpan.FromSeconds(60), w.SlowClientTimeout);
        Assert.True(c.Prometheus.Enabled);
        Assert.Equal("/metrics", c.Prometheus.MetricsUrl);
    }

    [Theory]
    [InlineData("")]
    [InlineData("# nothing but a comment\n")]
    [InlineData("nats:\ngeneral: ~\n")]
    public void An_empty_file_or_empty_sections_mean_all_defaults(string yaml) =>
        Assert.Equal(new CertstreamConfig(), Parse(yaml));

    [Fact]
    public void Every_section_reads_its_keys()
    {
        var c = Parse("""
            nats:
              url: "nats://a:4222,nats://b:4223"
              user: alice
              password: secret
              replicas: 3
              tls: { ca_file: "" }
            general:
              log_list_url: https://example.com/list.json
              additional_logs:
                - { url: "https://ct.example.com/log/", operator: Example, description: "Example log" }
              additional_tiled_logs:
                - url: https://tiles.example.com/2026
                  operator: Tiles Inc
                  description: Tiled 2026
                  key: MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEKHRm0H/zUaFA6Idz5cGvGO3tCPQyfGMgJmVBOPyKAP6mGM1IiNXi4CLomOUyYj0YN74p+eGVApFMsM4h/jzCsA==
              excluded_logs: [{ url: "https://ct.bad.example/" }, { operator: BadOp }]
              log_states: [usable, retired]
              start_at: 0
              verify: enforce
              user_agent: "probe/<version>"
            ingestor: { parallel_fetch: 8, sth_poll_interval: 500ms, partial_tile_wait: 0, fetch_buffer: 64MiB, raw_max_age: 1h30m, metrics_port: 9201 }
            parser: { concurrency: 3, fetch_batch: 64, metrics_port: 9202 }
            webserver:
              listen_addr: "::"
              listen_port: 9000
              lite_url: /lite
              full_url: /full
              domains_only_url: /domains
              compression_enabled: true
              real_ip: true
              trusted_proxies: [10.0.0.0/8]
              whitelist: [127.0.0.1, "::1"]
              auth_tokens: [t1, t2]
              max_clients: 5
              max_clients_per_ip: 2
              ping_interval: 10s
              client_timeout: 25s
              heartbeat_interval: 0
              client_buffer: 512KiB
              slow_client_timeout: 1m
            prometheus: { enabled: false, metrics_url: /prom }
            """);

        Assert.Equal(["nats://a:4222", "nats://b:4223"], c.Nats.Servers);
        Assert.Equal(("alice", "secret"), (c.Nats.User, c.Nats.Password));
        Assert.Equal(3, c.Nats.Replicas);
        Assert.Equal("https://example.com/list.json", c.General.LogListUrl);
        Assert.Equal([new CtLogSource("https://ct.example.com/log/", "Example", "Example log")], c.General.AdditionalLogs);
        // The key of Argon2027h1 in Chrome's log list (tests/fixtures/loglist), as a log list gives it.
        Assert.Equal([new CtLogSource("https://tiles.example.com/2026", "Tiles Inc", "Tiled 2026",
            "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEKHRm0H/zUaFA6Idz5cGvGO3tCPQyfGMgJmVBOPyKAP6mGM1IiNXi4CLomOUyYj0YN74p+eGVApFMsM4h/jzCsA==")], c.General.AdditionalTiledLogs);
        Assert.Equal([new LogExclusion("https://ct.bad.example/", null), new LogExclusion(null, "BadOp")], c.General.ExcludedLogs);
        Assert.Equal(["usable", "retired"], c.General.LogStates);
        Assert.Equal(StartPosition.At(0), c.General.StartAt);
        Assert.Equal(VerifyMode.Enforce, c.General.Verify);
        Assert.Equal("probe/" + ProductVersion.Current, c.General.UserAgent);
        Assert.Equal(new IngestorOptions
        {
            ParallelFetch = 8,
            SthPollInterval = TimeSpan.FromMilliseconds(500),
            PartialTileWait = TimeSpan.Zero,
            FetchBuffer = 64L * 1024 * 1024,
            RawMaxAge = TimeSpan.FromMinutes(90),
            MetricsPort = 9201,
        }, c.Ingestor);
        Assert.Equal(new ParserOptions { Concurrency = 3, FetchBatch = 64, MetricsPort = 9202 }, c.Parser);
        Assert.Equal(3, c.Parser.EffectiveConcurrency);
        Assert.Equal(new WebserverOptions
        {
            ListenAddr = "::",
            ListenPort = 9000,
            LiteUrl = "/lite",
            FullUrl = "/full",
            DomainsOnlyUrl = "/domains",
            CompressionEnabled = true,
            RealIp = true,
            TrustedProxies = [new IPNetwork(IPAddress.Parse("10.0.0.0"), 8)],
            Whitelist = [new IPNetwork(IPAddress.Loopback, 32), new IPNetwork(IPAddress.IPv6Loopback, 128)],
            AuthTokens = ["t1", "t2"],
            MaxClients = 5,
            MaxClientsPerIp = 2,
            PingInterval = TimeSpan.FromSeconds(10),
            ClientTimeout = TimeSpan.FromSeconds(25),
            HeartbeatInterval = TimeSpan.Zero,
            ClientBuffer = 512 * 1024,
            SlowClientTimeout = TimeSpan.FromMinutes(1),
        }, c.Webserver);
        Assert.Equal(new PrometheusOptions { Enabled = false, MetricsUrl = "/prom" }, c.Prometheus);
    }

    [Fact]
    public void Tls_files_are_read_when_they_exist()
    {
        var dir = Directory.CreateTempSubdirectory("certstream-hosting-");
        try
        {
            var ca = Path.Combine(dir.FullName, "ca.pem");
            var cert = Path.Combine(dir.FullName, "cert.pem");
            var key = Path.Combine(dir.FullName, "key.pem");
            foreach (var file in new[] { ca, cert, key }) File.WriteAllText(file, "x");
            var c = Parse($"nats:\n  tls:\n    ca_file: {ca}\n    cert_file: {cert}\n    key_file: {key}\nwebserver: {{ cert_path: {cert}, cert_key_path: {key} }}\n");
            Assert.Equal(new NatsTlsOptions { CaFile = ca, CertFile = cert, KeyFile = key }, c.Nats.Tls);
            Assert.True(c.Webserver.TlsEnabled);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void A_misspelt_key_is_named_with_its_line_and_a_suggestion() =>
        Assert.Equal("test.yaml:4: webserver.listen_prot: unknown key (did you mean listen_port?)",
            ErrorOf("nats:\n  url: nats://x:4222\nwebserver:\n  listen_prot: 9000\n"));

    [Fact]
    public void An_unknown_key_far_from_any_known_one_gets_no_suggestion() =>
        Assert.Equal("test.yaml:2: parser.colour: unknown key", ErrorOf("parser:\n  colour: blue\n"));

    [Fact]
    public void An_unknown_section_is_named() =>
        Assert.Equal("test.yaml:1: webserv: unknown section (did you mean webserver?)", ErrorOf("webserv: {}\n"));

    [Fact]
    public void An_unknown_nested_key_is_named_with_its_full_path() =>
        Assert.Equal("test.yaml:3: nats.tls.ca: unknown key", ErrorOf("nats:\n  tls:\n    ca: x\n"));

    [Fact]
    public void An_unknown_key_in_a_log_entry_is_named_with_its_index() =>
        Assert.Equal("test.yaml:4: general.additional_logs[1].desc: unknown key (did you mean description?)",
            ErrorOf("general:\n  additional_logs:\n    - { url: \"https://a.example/\" }\n    - { url: \"https://b.example/\", desc: B }\n"));

    [Theory]
    [InlineData("webserver:\n  listen_port: -1\n", "test.yaml:2: webserver.listen_port: -1 is not a port (1 to 65535)")]
    [InlineData("webserver:\n  listen_port: 70000\n", "test.yaml:2: webserver.listen_port: 70000 is not a port (1 to 65535)")]
    [InlineData("webserver:\n  listen_port: eighty\n", "test.yaml:2: webserver.listen_port: \"eighty\" is not a whole number")]
    [InlineData("webserver:\n  listen_port:\n", "test.yaml:2: webserver.listen_port: missing value")]
    [InlineData("\n\nwebserver:\n  ping_interval: 30 parsecs\n", "test.yaml:4: webserver.ping_interval: \"30 parsecs\" is not a duration (e.g. 500ms, 30s, 1m30s, 24h)")]
    [InlineData("webserver:\n  client_buffer: 4 MiB\n", "test.yaml:2: webserver.client_buffer: \"4 MiB\" is not a size (e.g. 8MiB, 512KiB, 1048576)")]
    [InlineData("webserver:\n  client_buffer: 0\n", "test.yaml:2: webserver.client_buffer: must be larger than 0")]
    [InlineData("webserver:\n  ping_interval: 0s\n", "test.yaml:2: webserver.ping_interval: must be longer than 0")]
    [InlineData("webserver:\n  listen_addr: localhost\n", "test.yaml:2: webserver.listen_addr: \"localhost\" is not an IP address (e.g. 0.0.0.0 or ::)")]
    [InlineData("webserver:\n  whitelist: [10.0.0.1, nope]\n", "test.yaml:2: webserver.whitelist[1]: \"nope\" is not an IP address or CIDR block (e.g. 10.0.0.0/8)")]
    [InlineData("webserver:\n  whitelist: 10.0.0.1\n", "test.yaml:2: webserver.whitelist: expected a list")]
    [InlineData("webserver:\n  real_ip: yes\n", "test.yaml:2: webserver.real_ip: \"yes\" is not a boolean (true or false)")]
    [InlineData("webserver:\n  full_url: /\n", "test.yaml:2: webserver.full_url: must differ from lite_url")]
    [InlineData("webserver:\n  client_timeout: 10s\n", "test.yaml:2: webserver.client_timeout: must be longer than ping_interval")]
    [InlineData("webserver:\n  ping_interval: 70s\n", "test.yaml:2: webserver.ping_interval: must be shorter than client_timeout")]
    [InlineData("webserver:\n  cert_path: /nonexistent/cert.pem\n", "test.yaml:2: webserver.cert_path: no such file \"/nonexistent/cert.pem\"")]
    [InlineData("webserver:\n  listen_port: [1, 2]\n", "test.yaml:2: webserver.listen_port: expected a single value, not a list")]
    [InlineData("webserver: 5\n", "test.yaml:1: webserver: expected a mapping (key: value, …)")]
    [InlineData("general:\n  start_at: -1\n", "test.yaml:2: general.start_at: \"-1\" is neither head nor a non-negative index")]
    [InlineData("general:\n  verify: strict\n", "test.yaml:2: general.verify: \"strict\" is not a verify mode (warn, enforce, off)")]
    [InlineData("general:\n  verify: Enforce\n", "test.yaml:2: general.verify: \"Enforce\" is not a verify mode (warn, enforce, off)")]
    [InlineData("general:\n  verify:\n", "test.yaml:2: general.verify: missing value")]
    [InlineData("general:\n  additional_logs:\n    - { url: \"https://a.example/\", key: \"not base64!\" }\n", "test.yaml:3: general.additional_logs[0].key: not a base64 DER SubjectPublicKeyInfo of an EC or RSA key (the form of the log list's \"key\")")]
    [InlineData("general:\n  additional_tiled_logs:\n    - { url: \"https://a.example/\", key: \"AAECAw==\" }\n", "test.yaml:3: general.additional_tiled_logs[0].key: not a base64 DER SubjectPublicKeyInfo of an EC or RSA key (the form of the log list's \"key\")")]
    [InlineData("general:\n  log_states: [usable, gone]\n", "test.yaml:2: general.log_states[1]: \"gone\" is not a log list state (pending, qualified, usable, readonly, retired, rejected)")]
    [InlineData("general:\n  additional_logs:\n    - { operator: X }\n", "test.yaml:3: general.additional_logs[0].url: missing (each log needs url, operator, description)")]
    [InlineData("general:\n  additional_logs:\n    - \"https://a.example/\"\n", "test.yaml:3: general.additional_logs[0]: expected a mapping (key: value, …)")]
    [InlineData("general:\n  excluded_logs: [{}]\n", "test.yaml:2: general.excluded_logs[0].url: each exclusion needs url or operator")]
    [InlineData("general:\n  disable_default_logs: true\n", "test.yaml:2: general.disable_default_logs: no logs left to follow: add additional_logs or additional_tiled_logs")]
    [InlineData("nats:\n  url: http://x:4222\n", "test.yaml:2: nats.url: \"http://x:4222\" is not a NATS URL (e.g. nats://127.0.0.1:4222)")]
    [InlineData("nats:\n  password: p\n", "test.yaml:2: nats.password: needs nats.user")]
    [InlineData("nats:\n  replicas: 0\n", "test.yaml:2: nats.replicas: 0 is out of range (1 to 5)")]
    [InlineData("nats:\n  replicas: three\n", "test.yaml:2: nats.replicas: \"three\" is not a whole number")]
    [InlineData("ingestor:\n  parallel_fetch: 0\n", "test.yaml:2: ingestor.parallel_fetch: 0 is out of range (1 to 64)")]
    [InlineData("ingestor:\n  fetch_buffer: 0\n", "test.yaml:2: ingestor.fetch_buffer: must be larger than 0")]
    [InlineData("ingestor:\n  fetch_buffer: lots\n", "test.yaml:2: ingestor.fetch_buffer: \"lots\" is not a size (e.g. 8MiB, 512KiB, 1048576)")]
    [InlineData("prometheus:\n  metrics_url: /full-stream\n", "test.yaml:2: prometheus.metrics_url: \"/full-stream\" is also webserver.full_url")]
    [InlineData("webserver:\n  listen_port: 1\n  listen_port: 2\n", "test.yaml:3: invalid YAML: Duplicate key listen_port")]
    [InlineData("prometheus:\n  whitelist: [nope]\n", "test.yaml:2: prometheus.whitelist[0]: \"nope\" is not an IP address or CIDR block (e.g. 10.0.0.0/8)")]
    [InlineData("parser:\n  metrics_addr: localhost\n", "test.yaml:2: parser.metrics_addr: \"localhost\" is not an IP address (e.g. 0.0.0.0 or ::)")]
    [InlineData("history:\n  streams: [lite, everything]\n", "test.yaml:2: history.streams[1]: \"everything\" is not a stream: expected full, lite, domains")]
    [InlineData("history:\n  streams: [lite, lite]\n", "test.yaml:2: history.streams: a stream is listed twice")]
    [InlineData("history:\n  max_age: 0\n", "test.yaml:2: history.max_age: must be longer than 0")]
    [InlineData("history:\n  max_bytes: 0\n", "test.yaml:2: history.max_bytes: must be larger than 0")]
    [InlineData("unique:\n  window: soon\n", "test.yaml:2: unique.window: \"soon\" is not a duration (e.g. 500ms, 30s, 1m30s, 24h)")]
    [InlineData("- a\n- b\n", "test.yaml:1: expected a mapping of sections (nats, general, ingestor, parser, history, unique, webserver, prometheus)")]
    public void A_bad_value_stops_with_one_line_naming_file_line_and_key(string yaml, string expected)
    {
        var message = ErrorOf(yaml);
        Assert.Equal(expected, message);
        Assert.DoesNotContain('\n', message);
    }

    [Fact]
    public void Malformed_yaml_is_reported_with_its_line() =>
        Assert.StartsWith("test.yaml:3: invalid YAML: ", ErrorOf("webserver:\n  listen_port: 1\n  lite_url: a: b\n"));

    [Fact]
    public void A_missing_file_is_an_error_naming_it()
    {
        var path = Path.Combine(Path.GetTempPath(), "certstream-no-such-" + Guid.NewGuid().ToString("N") + ".yaml");
        var error = Assert.Throws<ConfigException>(() => ConfigLoader.Load(path, NoEnvironment));
        Assert.Equal($"{path}: config file not found", error.Message);
    }

    [Fact]
    public void Quoted_empty_strings_and_nulls_clear_lists_and_strings()
    {
        var c = Parse("webserver:\n  auth_tokens:\n  trusted_proxies: ~\nnats:\n  user: \"~\"\n  password: ~\n  token: \"\"\n");
        Assert.Empty(c.Webserver.AuthTokens);
        Assert.Empty(c.Webserver.TrustedProxies);
        Assert.Equal(("~", "", ""), (c.Nats.User, c.Nats.Password, c.Nats.Token));
    }

    [Fact]
    public void Options_records_compare_by_value_including_lists()
    {
        var a = new GeneralOptions { LogStates = ["usable"] };
        var b = new GeneralOptions { LogStates = ConfigList.From(new[] { "usable" }) };
        Assert.Equal(a, b);
        Assert.NotEqual(a, b with { LogStates = ["qualified"] });
    }
}
