using Certstream.EndToEnd.Tests.Harness;
using Certstream.TestSupport;

namespace Certstream.EndToEnd.Tests;

/// <summary>
/// The edge's live page (README "Live page") in headless Chromium (Debian's chromium, driven by playwright-core from
/// tests/node/live-page.mjs) against the whole pipeline and the simulator: certificates appear with a rate and per-log
/// counts, the domain filter narrows them, a bad filter shows the server's reason, pause holds the rows, a row opens its
/// JSON, the page fits a phone's width, and nothing is written to the console as an error.
/// </summary>
public sealed class LivePageTests
{
    private const string Chromium = "/usr/bin/chromium";
    private static readonly TimeSpan ScriptTimeout = TimeSpan.FromMinutes(4);

    [Fact]
    public Task The_live_page_shows_filters_pauses_and_opens_certificates_in_headless_Chromium() =>
        RunPageAsync([], token: null, screenshot: Path.Combine(RepoPaths.Root, ".run", "live-page.png"));

    [Fact]
    public Task On_an_edge_that_needs_a_token_the_live_page_asks_for_one_and_then_streams() =>
        RunPageAsync(["auth_tokens: [page-secret]"], token: "page-secret", screenshot: null);

    private static async Task RunPageAsync(IReadOnlyList<string> edgeSettings, string? token, string? screenshot)
    {
        NodeScripts.RequirePackage("playwright-core");
        Assert.True(File.Exists(Chromium), $"{Chromium} is missing: scripts/deps.sh installs Debian's chromium");
        using var cts = new CancellationTokenSource(ScriptTimeout + TimeSpan.FromMinutes(2));
        await using var pipeline = await Pipeline.StartAsync(new PipelineOptions
        {
            Simulator = new SimulatorOptions { InitialSize = 20, EntriesPerSecondPerLog = 25, CrossLogRatio = 0.3 },
            EdgeSettings = edgeSettings,
        }, cts.Token);
        await pipeline.StartIngestorAsync(cts.Token);
        if (screenshot is not null) Directory.CreateDirectory(Path.GetDirectoryName(screenshot)!);

        string[] args = [pipeline.Edges[0].BaseUri.ToString(), "de", screenshot ?? "", .. token is null ? Array.Empty<string>() : [token]];
        using var page = NodeScripts.Start("live page", "live-page.mjs", args);
        var exitCode = await page.WaitForExitAsync(ScriptTimeout, cts.Token);
        var output = string.Join('\n', page.StandardOutput);
        Assert.True(exitCode == 0, $"live-page.mjs exited {exitCode}:\n{output}\n{page.Tail()}\n{pipeline.Diagnostics(10)}");
        Assert.Contains("RESULT ok", output, StringComparison.Ordinal);
        if (token is not null) Assert.Contains("CHECK asks-for-token ok", output, StringComparison.Ordinal);
    }
}
