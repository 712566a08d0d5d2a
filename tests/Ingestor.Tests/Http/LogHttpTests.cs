using Certstream.Hosting.Metrics;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Certstream.Ingestor.Http;

namespace Certstream.Ingestor.Tests.Http;

public sealed class LogHttpTests
{
    [Fact]
    public async Task A_log_that_stalls_in_the_middle_of_a_body_times_out_instead_of_hanging()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var server = Task.Run(async () =>
        {
            using var socket = await listener.AcceptSocketAsync(stop.Token);
            var buffer = new byte[4096];
            var request = new StringBuilder();
            while (!request.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
                request.Append(Encoding.ASCII.GetString(buffer, 0, await socket.ReceiveAsync(buffer, stop.Token)));
            // Headers promise 1,000 bytes; 100 come, then nothing (the connection stays open).
            await socket.SendAsync(Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"entries\":["), stop.Token);
            await socket.SendAsync(new byte[88], stop.Token);
            try { await Task.Delay(Timeout.Infinite, stop.Token); }
            catch (OperationCanceledException) { }
        });

        using var client = new HttpClient { Timeout = TimeSpan.FromMilliseconds(500) };
        var metrics = new IngestorMetrics(new ServiceMetrics(includeProcessMetrics: false));
        var http = new LogHttp(client, metrics, TimeProvider.System, maxResponseBytes: 1 << 20);
        var watch = Stopwatch.StartNew();
        var (fetched, body) = await http.GetPooledAsync("stall", "get-entries", new Uri($"http://127.0.0.1:{port}/ct/v1/get-entries?start=0&end=9"), stop.Token)
            .WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Null(body);
        Assert.Equal(ErrorKind.Timeout, fetched.Error);
        Assert.InRange(watch.Elapsed, TimeSpan.FromMilliseconds(400), TimeSpan.FromSeconds(5));
        await stop.CancelAsync();
        await server;
    }
}
