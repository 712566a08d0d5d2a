using System.Net;
using Certstream.EndToEnd.Tests.Harness;
using Certstream.TestSupport;

namespace Certstream.EndToEnd.Tests;

/// <summary>Issue [6]: with NATS unreachable the services keep retrying and say they are not ready, instead of exiting.</summary>
public sealed class NatsOutageTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("certstream-outage-");

    public void Dispose() => _dir.Delete(recursive: true);

    [Fact]
    public async Task Services_started_before_nats_stay_up_not_ready_and_become_ready_once_it_is_there()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var ct = cts.Token;
        // A server's port and store, but no server yet.
        await using var nats = await NatsServer.StartAsync();
        nats.Kill();
        var services = new List<PipelineService>();
        try
        {
            var options = new PipelineOptions();
            var logList = new Uri("http://127.0.0.1:9/log_list.json"); // never reached before NATS is
            foreach (var (name, dll) in new[] { ("ingestor", ServiceBinaries.Ingestor), ("parser", ServiceBinaries.Parser), ("edge", ServiceBinaries.Edge) })
            {
                int port = FreePort.Next(), other = FreePort.Next();
                var ports = name switch { "ingestor" => (port, other, other), "parser" => (other, port, other), _ => (other, other, port) };
                var config = ServiceConfig.Write(_dir.FullName, name, nats.Url, logList, options, ports.Item1, ports.Item2, ports.Item3);
                services.Add(new PipelineService(name, dll, config, port, _dir.FullName, null));
            }
            await Task.WhenAll(services.Select(s => s.StartAsync(waitReady: false, ct)));

            // An observation window: several probes over about two seconds, each must say "not ready".
            for (var probe = 0; probe < 8; probe++)
            {
                foreach (var service in services)
                {
                    Assert.False(service.Process.HasExited, $"{service.Name} exited without NATS\n{service.Tail()}");
                    Assert.Equal(HttpStatusCode.OK, await service.StatusAsync("/healthz", ct));
                    var ready = await service.StatusAsync("/readyz", ct);
                    Assert.True(ready == HttpStatusCode.ServiceUnavailable, $"{service.Name} /readyz answered {ready} with NATS down\n{service.Tail()}");
                }
                await Task.Delay(250, ct);
            }

            await nats.StartAgainAsync();
            await Task.WhenAll(services.Select(s => s.WaitReadyAsync(ct)));
        }
        finally
        {
            foreach (var service in services) service.Dispose();
        }
    }

    [Fact]
    public async Task Services_stopped_while_nats_is_frozen_exit_within_their_bounded_drain()
    {
        // A server that stops answering but keeps its sockets open (SIGSTOP): the shutdown drain's PING gets no PONG.
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var ct = cts.Token;
        await using var nats = await NatsServer.StartAsync();
        var services = new List<PipelineService>();
        try
        {
            var options = new PipelineOptions();
            var logList = new Uri("http://127.0.0.1:9/log_list.json");
            foreach (var (name, dll) in new[] { ("ingestor", ServiceBinaries.Ingestor), ("parser", ServiceBinaries.Parser), ("edge", ServiceBinaries.Edge) })
            {
                int port = FreePort.Next(), other = FreePort.Next();
                var ports = name switch { "ingestor" => (port, other, other), "parser" => (other, port, other), _ => (other, other, port) };
                var config = ServiceConfig.Write(_dir.FullName, name, nats.Url, logList, options, ports.Item1, ports.Item2, ports.Item3);
                services.Add(new PipelineService(name, dll, config, port, _dir.FullName, null));
            }
            // The ingestor has no log list here (the address is closed), so it is alive but may not be ready.
            await Task.WhenAll(services.Select(s => s.StartAsync(waitReady: s.Name != "ingestor", ct)));
            await services[0].Process.WaitForLineAsync(l => l.Contains("connected to NATS", StringComparison.Ordinal), TimeSpan.FromSeconds(30), ct);

            nats.Signal("STOP");
            // The drain is bounded at 5 s; the host's own shutdown timeout (30 s) would be the bound without it.
            var exits = services.Select(s => s.Process.TerminateAsync(TimeSpan.FromSeconds(15), ct)).ToList();
            foreach (var (service, exit) in services.Zip(exits))
                Assert.True(await exit == 0, $"{service.Name} exit code\n{service.Tail()}");
        }
        finally
        {
            if (nats.IsRunning) nats.Signal("CONT");
            foreach (var service in services) service.Dispose();
        }
    }
}
