// The edge service: see SPEC §1. Composition only; the work lives in the other files of this folder.
using Certstream.Hosting;

var launch = ServiceLaunch.Prepare("edge", args);
if (!launch.ShouldRun) return launch.ExitCode;

var builder = WebApplication.CreateSlimBuilder();
builder.AddServiceDefaults(launch);
builder.ListenOn(launch.Config.Webserver.ListenAddr, launch.Config.Webserver.ListenPort);

var app = builder.Build();
app.MapServiceDefaults();
await app.RunAsync();
return 0;
