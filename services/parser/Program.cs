// The parser service: see SPEC §1. Composition only; the work lives in the other files of this folder.
using Certstream.Hosting;
using Certstream.Hosting.Health;
using Certstream.Hosting.Messaging;
using Certstream.Parser;
using Certstream.Parser.Pipeline;

// Service commands run instead of the service and need no config file (SPEC §8).
var launch = ServiceLaunch.Prepare("parser", args,
    new ServiceCommand("decode", "decode a get-entries response (or --tiled one data tile) from stdin into full-stream JSON lines",
        a => DecodeCommand.Run(a, Console.In, Console.Out)));
if (!launch.ShouldRun) return launch.ExitCode;

var builder = WebApplication.CreateSlimBuilder();
builder.AddServiceDefaults(launch);
builder.ListenOnAnyAddress(launch.Config.Parser.MetricsPort);
// Before the parser: the host stops services in reverse order, so the parser finishes and flushes its acks before the
// connection drains. Readiness: "nats" (connected) from here, "consumer" (connected and bound) from the parser.
builder.AddNatsConnection("parser");
builder.Services.AddSingleton<ParserMetrics>();
builder.Services.AddSingleton<ParserService>();
builder.Services.AddHostedService(services => services.GetRequiredService<ParserService>());
builder.Services.AddHealthChecks().AddReadinessCheck<ParserReadinessCheck>("consumer");

var app = builder.Build();
app.MapServiceDefaults();
await app.RunAsync();
return 0;
