// The ingestor service: see SPEC §1. Composition only; the work lives in the other files of this folder.
using Certstream.Hosting;
using Certstream.Hosting.Health;
using Certstream.Ingestor.Service;

var launch = ServiceLaunch.Prepare("ingestor", args);
if (!launch.ShouldRun) return launch.ExitCode;

var builder = WebApplication.CreateSlimBuilder();
builder.AddServiceDefaults(launch);
builder.ListenOnAnyAddress(launch.Config.Ingestor.MetricsPort);

var config = launch.Config;
var instanceId = IngestorServiceOptions.DefaultInstanceId;
builder.Services.AddSingleton(new IngestorServiceOptions(
    SettingsMapping.ToSettings(config.General, config.Ingestor),
    SettingsMapping.ToNatsOpts(config.Nats, "ingestor-" + instanceId),
    config.Ingestor.RawMaxAge,
    instanceId));
var readiness = new NatsReadiness();
builder.Services.AddSingleton(readiness);
builder.Services.AddHostedService<IngestorService>();
builder.Services.AddHealthChecks().AddReadinessCheck("nats", () => readiness.IsReady, "not connected to NATS or CT_RAW not ensured");
// Followers wait up to 5 s for acks, then save checkpoints and release leases; leave room for that on SIGTERM.
builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(20));

var app = builder.Build();
app.MapServiceDefaults();
await app.RunAsync();
return 0;
