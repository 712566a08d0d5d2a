using System.Globalization;
using System.Net;
using Certstream.TestSupport;
using NATS.NKeys;

namespace Certstream.EndToEnd.Tests.Auth;

/// <summary>
/// <c>nats.nkey_file</c>, <c>nats.creds_file</c> and <c>nats.tls</c> against a real nats-server: the three services get in
/// and become ready, each on one connection named after it; a wrong credential keeps a service not ready with one clear
/// line naming the server and the way of authenticating.
/// </summary>
public sealed class NatsAuthTests : IDisposable
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("certstream-auth-");

    [Fact]
    public async Task An_NKey_user_lets_the_three_services_in_and_a_wrong_seed_is_refused_with_one_clear_line()
    {
        using var cts = new CancellationTokenSource(Timeout);
        using var user = KeyPair.CreatePair(PrefixByte.User);
        using var stranger = KeyPair.CreatePair(PrefixByte.User);
        var serverConfig = Write("server.conf", $"authorization: {{\n  users: [ {{ nkey: \"{user.GetPublicKey()}\" }} ]\n}}\n");
        await using var nats = await NatsServer.StartAsync("-c", serverConfig);
        var seed = Write("service.nk", user.GetSeed() + "\n");

        await AssertServicesGetInAsync(nats, "nkey_file", seed, cts.Token);
        await AssertRefusedWithOneLineAsync(nats, "nkey_file", Write("wrong.nk", stranger.GetSeed() + "\n"), "NKey from nats.nkey_file", cts.Token);
    }

    [Fact]
    public async Task A_creds_file_lets_the_three_services_in_on_an_operator_mode_server_and_a_foreign_user_is_refused_with_one_clear_line()
    {
        using var cts = new CancellationTokenSource(Timeout);
        using var jwt = new NatsJwt();
        await using var nats = await NatsServer.StartAsync("-c", Write("server.conf", jwt.ServerConfig()));
        var creds = Write("service.creds", jwt.UserCreds());

        await AssertServicesGetInAsync(nats, "creds_file", creds, cts.Token);
        await AssertRefusedWithOneLineAsync(nats, "creds_file", Write("foreign.creds", jwt.UserCreds(signedByTheAccount: false)),
            "user JWT from nats.creds_file", cts.Token);
    }

    [Fact]
    public async Task With_the_CA_in_nats_tls_the_three_services_reach_a_TLS_only_server()
    {
        using var cts = new CancellationTokenSource(Timeout);
        var pki = TestPki.Write(_dir.FullName);
        var config = Write("server.conf", $"tls {{\n  cert_file: \"{pki.ServerCert}\"\n  key_file: \"{pki.ServerKey}\"\n  timeout: 2\n}}\n");
        await using var nats = await NatsServer.StartAsync("-c", config);
        await AssertServicesGetInAsync(nats, $"  tls:\n    ca_file: \"{pki.CaFile}\"\n", cts.Token);
    }

    [Fact]
    public async Task With_a_client_certificate_the_three_services_reach_a_server_that_verifies_clients()
    {
        using var cts = new CancellationTokenSource(Timeout);
        var pki = TestPki.Write(_dir.FullName);
        var config = Write("server.conf",
            $"tls {{\n  cert_file: \"{pki.ServerCert}\"\n  key_file: \"{pki.ServerKey}\"\n  ca_file: \"{pki.CaFile}\"\n  verify: true\n  timeout: 2\n}}\n");
        await using var nats = await NatsServer.StartAsync("-c", config);
        await AssertServicesGetInAsync(nats,
            $"  tls:\n    ca_file: \"{pki.CaFile}\"\n    cert_file: \"{pki.ClientCert}\"\n    key_file: \"{pki.ClientKey}\"\n", cts.Token);
    }

    public void Dispose() => _dir.Delete(recursive: true);

    private Task AssertServicesGetInAsync(NatsServer nats, string key, string file, CancellationToken cancellationToken) =>
        AssertServicesGetInAsync(nats, $"  {key}: \"{file}\"\n", cancellationToken);

    private async Task AssertServicesGetInAsync(NatsServer nats, string natsKeys, CancellationToken cancellationToken)
    {
        var natsUrl = nats.Url;
        var services = new List<(ChildProcess Process, Uri Readyz)>();
        try
        {
            foreach (var (name, dll) in new[] { ("ingestor", ServiceBinaries.Ingestor), ("parser", ServiceBinaries.Parser), ("edge", ServiceBinaries.Edge) })
            {
                var port = FreePort.Next();
                var config = Write(name + ".yaml", ConfigFor(natsUrl, natsKeys, port));
                services.Add((ChildProcess.StartService(name, dll, ["-c", config], _dir.FullName), new Uri($"http://127.0.0.1:{port}/readyz")));
            }
            // Ready = connected and authenticated, with the streams, buckets, consumer and subscriptions in place.
            foreach (var (process, readyz) in services)
                await WaitForStatusAsync(readyz, HttpStatusCode.OK, process, cancellationToken);
            // One connection per service, named after it (the server's view, from its monitoring port).
            using var http = new HttpClient();
            var connz = await http.GetStringAsync(new Uri($"http://127.0.0.1:{nats.MonitorPort}/connz"), cancellationToken);
            using var json = System.Text.Json.JsonDocument.Parse(connz);
            var names = json.RootElement.GetProperty("connections").EnumerateArray().Select(c => c.GetProperty("name").GetString()).ToList();
            foreach (var service in new[] { "ingestor", "parser", "edge" })
                Assert.Single(names, n => n == $"certstream-{service}-{Environment.MachineName}");
        }
        finally
        {
            foreach (var (process, _) in services)
            {
                Assert.Equal(0, await process.TerminateAsync(Timeout, cancellationToken));
                process.Dispose();
            }
        }
    }

    private async Task AssertRefusedWithOneLineAsync(NatsServer nats, string key, string file, string method, CancellationToken cancellationToken)
    {
        var port = FreePort.Next();
        var config = Write("refused.yaml", ConfigFor(nats.Url, $"  {key}: \"{file}\"\n", port));
        var before = Refusals(nats);
        using var edge = ChildProcess.StartService("edge", ServiceBinaries.Edge, ["-c", config], _dir.FullName);
        await WaitForStatusAsync(new Uri($"http://127.0.0.1:{port}/readyz"), HttpStatusCode.ServiceUnavailable, edge, cancellationToken);
        // The edge keeps trying; once the server has refused it three times, its log must still hold a single line about it.
        while (Refusals(nats) < before + 3)
        {
            Assert.False(edge.HasExited, edge.Output);
            await Task.Delay(50, cancellationToken);
        }
        var lines = edge.Lines.Where(l => l.Contains("NATS", StringComparison.Ordinal) && !l.Contains(" started, listening on ", StringComparison.Ordinal)).ToList();
        Assert.True(lines.Count == 1, string.Join("\n", lines));
        var line = lines[0];
        Assert.Contains($"cannot connect to NATS {nats.Url} with {method} {file}: ", line, StringComparison.Ordinal);
        Assert.Contains("Authorization Violation", line, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(0, await edge.TerminateAsync(Timeout, cancellationToken));
    }

    // nats-server logs one error line per refused client ("authentication error" / "Authorization Violation").
    private static int Refusals(NatsServer nats) =>
        nats.Output.Split('\n').Count(l => l.Contains("authentication error", StringComparison.OrdinalIgnoreCase)
            || l.Contains("Authorization Violation", StringComparison.OrdinalIgnoreCase));

    private static string ConfigFor(string natsUrl, string natsKeys, int port)
    {
        var p = port.ToString(CultureInfo.InvariantCulture);
        // The log list is unreachable on purpose: readiness does not wait for logs.
        return $"nats:\n  url: \"{natsUrl}\"\n{natsKeys}"
            + "general:\n  log_list_url: \"http://127.0.0.1:9/log_list.json\"\n"
            + $"ingestor:\n  metrics_port: {p}\nparser:\n  metrics_port: {p}\nwebserver:\n  listen_addr: \"127.0.0.1\"\n  listen_port: {p}\n";
    }

    private static async Task WaitForStatusAsync(Uri uri, HttpStatusCode expected, ChildProcess process, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        // Bounded by the test's timeout; the service comes up in the background.
        while (true)
        {
            Assert.False(process.HasExited, $"{process.Name} exited:\n{process.Output}");
            try
            {
                using var response = await http.GetAsync(uri, cancellationToken);
                if (response.StatusCode == expected) return;
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            await Task.Delay(50, cancellationToken);
        }
    }

    private string Write(string name, string text)
    {
        var path = Path.Combine(_dir.FullName, name);
        File.WriteAllText(path, text);
        return path;
    }
}
