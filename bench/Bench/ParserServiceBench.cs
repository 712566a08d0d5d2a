using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Certstream.Contracts;
using Certstream.Hosting.Configuration;
using Certstream.Parser;
using Certstream.TestSupport;
using NATS.Client.Core;
using NATS.Client.JetStream;

namespace Certstream.Bench;

/// <summary>
/// The parser service end to end on a local nats-server: N raw entries (200,000 by default; the 8 RFC 6962 fixture entries
/// over two logs, each with its own index) pre-loaded in CT_RAW, then one in-process parser composed as its Program.cs does (AddParser),
/// with the default config (one worker per core, fetch_batch 256), until every entry is acked. CPU is this process's
/// (parser + the bench's polling); the server's is reported apart.
/// </summary>
internal static class ParserServiceBench
{
    private const int WarmUp = 5_000;

    // JetStream API error code of a missing consumer (nats-server errors.json).
    private const int ConsumerNotFound = 10014;

    public static async Task<int> RunAsync(string[] args)
    {
        var count = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 200_000;
        await using var server = await NatsServer.StartAsync();
        var config = new CertstreamConfig { Nats = new NatsOptions { Url = server.Url }, Parser = new ParserOptions { MetricsPort = 0 } };
        await using var connection = await NatsClients.ConnectAsync(config.Nats.Url, "bench");
        var js = new NatsJSContext(connection);
        await js.CreateStreamAsync(JetStreamConfigs.RawStream(TimeSpan.FromHours(24)));
        var fixtures = LoadFixtures();

        // Warm-up run: JIT tiers up and the workers' buffers reach their size; not measured.
        await PublishAsync(connection, js, fixtures, 0, WarmUp);
        await RunParserAsync(config, js, 0, WarmUp, null);

        await PublishAsync(connection, js, fixtures, WarmUp, count);
        using var serverProcess = Process.GetProcessById(server.ProcessId!.Value);
        var (measured, elapsed, cpu, serverCpu) = await RunParserAsync(config, js, WarmUp, (ulong)(WarmUp + count), serverProcess);

        BenchOutput.Figure("parser_service_entries_per_s", measured / elapsed.TotalSeconds, "entries/s");
        BenchOutput.Figure("parser_service_cpu_s_per_1000_entries", cpu.TotalSeconds / measured * 1000, "s", "F4");
        // The server's share, for context: on a small machine it competes with the parser for the same cores.
        BenchOutput.Figure("parser_service_nats_server_cpu_s_per_1000_entries", serverCpu.TotalSeconds / measured * 1000, "s", "F4");
        Console.Error.WriteLine(FormattableString.Invariant(
            $"parser-service: {measured} of {count} entries in {elapsed.TotalSeconds:F2} s, {cpu.TotalSeconds:F2} s CPU (nats-server {serverCpu.TotalSeconds:F2} s), {Environment.ProcessorCount} workers, fetch_batch {config.Parser.FetchBatch}"));
        return 0;
    }

    /// <summary>
    /// Runs a parser until the ack floor reaches <paramref name="lastSequence"/>. The window starts at the first poll that sees
    /// the ack floor move past <paramref name="startSequence"/>, so the service's start-up (host, connect, bind) is not timed.
    /// </summary>
    private static async Task<(long Entries, TimeSpan Elapsed, TimeSpan Cpu, TimeSpan ServerCpu)> RunParserAsync(CertstreamConfig config, NatsJSContext js,
        ulong startSequence, ulong lastSequence, Process? server)
    {
        await using var service = await InProcessService.StartAsync("parser", config, builder => builder.AddParser());
        ulong? from = null;
        long startedAt = 0;
        TimeSpan cpuFrom = default, serverFrom = default;
        while (true)
        {
            try
            {
                var info = (await js.GetConsumerAsync(JetStreamNames.RawStream, JetStreamNames.ParserConsumer)).Info;
                if (from is null && info.AckFloor.StreamSeq > startSequence)
                {
                    from = info.AckFloor.StreamSeq;
                    startedAt = Stopwatch.GetTimestamp();
                    cpuFrom = ProcessCpu.OfThisProcess();
                    serverFrom = server is null ? default : ProcessCpu.Of(server);
                }
                if (info.AckFloor.StreamSeq >= lastSequence)
                    break;
            }
            catch (NatsJSApiException e) when (e.Error.ErrCode == ConsumerNotFound)
            {
            }
            await Task.Delay(20); // polling resolution of the measurement
        }
        var elapsed = Stopwatch.GetElapsedTime(startedAt);
        var cpu = ProcessCpu.OfThisProcess() - cpuFrom;
        var serverCpu = server is null ? default : ProcessCpu.Of(server) - serverFrom;
        await service.StopAsync();
        return ((long)(lastSequence - from!.Value), elapsed, cpu, serverCpu);
    }

    private static async Task PublishAsync(NatsConnection connection, NatsJSContext js, List<(byte[] Leaf, byte[] Extra)> fixtures, int first, int count)
    {
        string[] urls = ["https://ct.googleapis.com/logs/us1/argon2027h1/", "https://ct.example.net/2026/"];
        var buffer = new ArrayBufferWriter<byte>(8 * 1024);
        var before = (await js.GetStreamAsync(JetStreamNames.RawStream)).Info.State.Messages;
        for (var i = first; i < first + count; i++)
        {
            var url = urls[i % urls.Length];
            var (leaf, extra) = fixtures[i % fixtures.Count];
            var entry = new RawEntry
            {
                Log = LogKey.FromUrl(url), Url = url, Name = "Bench log", Operator = "Bench", Type = LogType.Rfc6962,
                Index = (ulong)i, LeafInput = leaf, ExtraData = extra, FetchedAt = 1795319312.616,
            };
            buffer.ResetWrittenCount();
            RawEntryCodec.Write(buffer, entry);
            await connection.PublishAsync(Subjects.Raw(entry.Log), buffer.WrittenMemory);
            if (i % 1000 == 999)
                await connection.PingAsync(); // keeps the server's inbound from piling up
        }
        await connection.PingAsync();
        while ((await js.GetStreamAsync(JetStreamNames.RawStream)).Info.State.Messages < before + count)
            await Task.Delay(20);
    }

    private static List<(byte[], byte[])> LoadFixtures()
    {
        var rfc = Path.Combine(RepoPaths.Fixtures, "rfc6962");
        var result = new List<(byte[], byte[])>();
        foreach (var file in Directory.GetFiles(rfc, "*get-entries*.json").Order(StringComparer.Ordinal))
        {
            using var json = JsonDocument.Parse(File.ReadAllText(file));
            foreach (var e in json.RootElement.GetProperty("entries").EnumerateArray())
                result.Add((e.GetProperty("leaf_input").GetBytesFromBase64(), e.GetProperty("extra_data").GetBytesFromBase64()));
        }
        foreach (var stem in new[] { "ctgo_precert_entry", "ctgo_x509_entry" })
        {
            result.Add((Convert.FromBase64String(File.ReadAllText(Path.Combine(rfc, stem + ".leaf_input.b64")).Trim()),
                Convert.FromBase64String(File.ReadAllText(Path.Combine(rfc, stem + ".extra_data.b64")).Trim())));
        }
        return result;
    }
}
