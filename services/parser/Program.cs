// The parser service: see SPEC §1. Composition only; the work lives in the other files of this folder.
using Certstream.Hosting;

// Service commands run instead of the service and need no config file; `decode` (SPEC §8) joins here as
// new ServiceCommand("decode", "…", a => DecodeCommand.Run(a, Console.In, Console.Out)).
var launch = ServiceLaunch.Prepare("parser", args);
if (!launch.ShouldRun) return launch.ExitCode;

var builder = WebApplication.CreateSlimBuilder();
builder.AddServiceDefaults(launch);
builder.ListenOnAnyAddress(launch.Config.Parser.MetricsPort);

var app = builder.Build();
app.MapServiceDefaults();
await app.RunAsync();
return 0;
