// The edge service: see EdgeApp for the composition.
using Certstream.Edge;
using Certstream.Hosting;

var launch = ServiceLaunch.Prepare("edge", args);
if (!launch.ShouldRun) return launch.ExitCode;

await using var app = EdgeApp.Build(launch);
await app.RunAsync();
return 0;
