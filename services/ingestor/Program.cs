// The ingestor service (README "Architecture"). Composition only: IngestorRegistration says what it is made of.
using Certstream.Hosting;
using Certstream.Ingestor;

var launch = ServiceLaunch.Prepare("ingestor", args);
if (!launch.ShouldRun) return launch.ExitCode;

var builder = WebApplication.CreateSlimBuilder();
builder.AddServiceDefaults(launch);
builder.AddIngestor();

var app = builder.Build();
app.MapServiceDefaults();
await app.RunAsync();
return 0;
