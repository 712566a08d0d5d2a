// The parser service (README "Architecture"). Composition only: ParserRegistration says what it is made of.
using Certstream.Hosting;
using Certstream.Parser;

// Service commands run instead of the service and need no config file (README "Configuration").
var launch = ServiceLaunch.Prepare("parser", args,
    new ServiceCommand("decode", "decode a get-entries response (or --tiled one data tile) from stdin into full-stream JSON lines",
        a => DecodeCommand.Run(a, Console.In, Console.Out)));
if (!launch.ShouldRun) return launch.ExitCode;

var builder = WebApplication.CreateSlimBuilder();
builder.AddServiceDefaults(launch);
builder.AddParser();

var app = builder.Build();
app.MapServiceDefaults();
await app.RunAsync();
return 0;
