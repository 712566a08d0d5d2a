// The CT log simulator. Composition only; the work lives in the other files of this folder.
var builder = WebApplication.CreateBuilder(args);
var app = builder.Build();
app.MapGet("/healthz", () => "ok");
await app.RunAsync();
