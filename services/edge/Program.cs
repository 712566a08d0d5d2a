// The edge service (README "Architecture"). Composition only: EdgeRegistration says what it is made of.
using Certstream.Edge;
using Certstream.Hosting;

var launch = ServiceLaunch.Prepare("edge", args);
if (!launch.ShouldRun) return launch.ExitCode;

var builder = WebApplication.CreateSlimBuilder();
builder.AddServiceDefaults(launch);
builder.AddEdge();

await using var app = builder.Build();
app.MapEdge();
app.MapServiceDefaults();
await app.RunAsync();
return 0;
