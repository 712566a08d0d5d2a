namespace Certstream.Parser.Tests;

/// <summary>Damaged input never throws out of the decoders, never hangs, and is rejected only when the leaf is unreadable.</summary>
public sealed class FuzzTests
{
    [Fact]
    public void Four_thousand_mutations_are_decoded_or_rejected_with_a_reason() => RunWithin(cases: 4_000, seed: 20261122, TimeSpan.FromSeconds(60));

    [LongFact]
    [Trait("Category", "Long")]
    public void Hundred_thousand_mutations_are_decoded_or_rejected_with_a_reason() => RunWithin(cases: 100_000, seed: 6962, TimeSpan.FromMinutes(20));

    private static void RunWithin(int cases, int seed, TimeSpan limit)
    {
        var run = Task.Run(() => new Fuzzer(seed).Run(cases));
        Assert.True(run.Wait(limit), $"fuzzing {cases} cases did not finish within {limit} (a decoder hangs?)");
        var outcome = run.Result;
        Assert.Equal(cases, outcome.Results.Values.Sum());
        // The mutations reach both outcomes: some damaged leaves are still streamed, some are rejected.
        Assert.True(outcome.Results.GetValueOrDefault("leaf:None") > 0, string.Join(", ", outcome.Results));
        Assert.True(outcome.Results.Keys.Any(k => k.StartsWith("leaf:", StringComparison.Ordinal) && k != "leaf:None"), string.Join(", ", outcome.Results));
        Assert.True(outcome.Results.GetValueOrDefault("cert:None") > 0, string.Join(", ", outcome.Results));
    }
}
