using System.Net;

namespace Certstream.CtLogSim.Tests;

/// <summary><c>get-sth-consistency</c> answers the RFC 6962 §2.1.2 proof, compared with one computed by the recursive definitions.</summary>
[Collection(SharedSimulator.Name)]
public sealed class ConsistencyProofTests(SimulatorFixture fixture)
{
    private CtLogSimulator Sim => fixture.Sim;
    private HttpClient Http => fixture.Http;

    public static TheoryData<int, int> Pairs()
    {
        var sizes = new[] { 1, 2, 3, 4, 5, 7, 8, 9, 31, 32, 33, 100, 255, 256, 257, 511, 512, 513, 599, 600 };
        var pairs = new TheoryData<int, int>();
        foreach (var m in sizes)
        {
            foreach (var n in sizes.Where(n => n >= m)) pairs.Add(m, n);
        }
        return pairs;
    }

    [Theory]
    [MemberData(nameof(Pairs))]
    public async Task The_proof_between_two_sizes_is_the_rfc_proof(int first, int second)
    {
        var log = Sim.Log("rfc6962-1");
        var leaves = Sim.Record.Entries(log.Name, 0, SimulatorFixture.InitialSize - 1).Select(e => e.LeafHash).ToList();

        var answer = await Http.GetJsonAsync(log.Url.Under($"ct/v1/get-sth-consistency?first={first}&second={second}"));

        var served = answer.GetProperty("consistency").EnumerateArray().Select(n => n.GetBytesFromBase64()).ToList();
        Assert.Equal(TreeMath.ConsistencyProof(leaves, first, second), served);
        if (first < second) Assert.NotEmpty(served);
    }

    [Theory]
    [InlineData("first=5&second=4")]
    [InlineData("first=1&second=601")]
    [InlineData("first=-1&second=4")]
    [InlineData("first=1")]
    [InlineData("second=4")]
    public async Task Sizes_out_of_order_or_beyond_the_tree_are_refused_with_400(string query)
    {
        using var response = await Http.GetAsync(Sim.Log("rfc6962-0").Url.Under("ct/v1/get-sth-consistency?" + query));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }
}
