// The ingestor service: see SPEC §1. Composition only; the work lives in the other files of this folder.
using Certstream.Hosting;

var launch = ServiceLaunch.Prepare("ingestor", args);
if (!launch.ShouldRun) return launch.ExitCode;

var builder = WebApplication.CreateSlimBuilder();
builder.AddServiceDefaults(launch);
builder.ListenOnAnyAddress(launch.Config.Ingestor.MetricsPort);

var app = builder.Build();
app.MapServiceDefaults();
await app.RunAsync();
return 0;
