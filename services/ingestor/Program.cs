// The ingestor service: see SPEC §1. Composition only; the work lives in the other files of this folder.
using System.Diagnostics.Metrics;
using Certstream.Hosting;
using Certstream.Hosting.Health;
using Certstream.Hosting.Messaging;
using Certstream.Ingestor.Service;

var launch = ServiceLaunch.Prepare("ingestor", args);
if (!launch.ShouldRun) return launch.ExitCode;

var builder = WebApplication.CreateSlimBuilder();
builder.AddServiceDefaults(launch);
builder.ListenOnAnyAddress(launch.Config.Ingestor.MetricsPort);
// Registered before the ingestor: hosted services stop in reverse order, so the connection drains only after the
// followers saved their acked checkpoints and the leases were released.
builder.AddNatsConnection("ingestor");

var config = launch.Config;
var options = new IngestorServiceOptions(SettingsMapping.ToSettings(config.General, config.Ingestor), config.Ingestor.RawMaxAge,
    IngestorServiceOptions.DefaultInstanceId);
var readiness = new NatsReadiness();
builder.Services.AddSingleton(readiness);
builder.Services.AddHostedService(services => new IngestorService(options, services.GetRequiredService<NatsConnector>(), readiness,
    services.GetRequiredService<ILoggerFactory>(), services.GetService<IMeterFactory>(), services.GetService<TimeProvider>()));
// With "nats" (connected, from AddNatsConnection): /readyz = connected to NATS and CT_RAW ensured.
builder.Services.AddHealthChecks().AddReadinessCheck("ct_raw", () => readiness.StreamsAreEnsured, "CT_RAW and the KV buckets not ensured yet");
// Followers wait up to 5 s for acks, then save checkpoints and release leases; leave room for that on SIGTERM.
builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(20));

var app = builder.Build();
app.MapServiceDefaults();
await app.RunAsync();
return 0;
