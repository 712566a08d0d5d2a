using Certstream.Contracts.Ct;

namespace Certstream.Parser.Messages;

/// <summary>The chain of a tile leaf from its issuer fingerprints (issuer first), for <c>decode --tiled</c>.</summary>
public static class IssuerChain
{
    /// <summary>The issuers <paramref name="issuers"/> knows, in the leaf's order; <paramref name="missing"/> counts those it lacks, which are left out.</summary>
    public static List<ReadOnlyMemory<byte>> Resolve(in TileLeaf leaf, IIssuerSource? issuers, out int missing)
    {
        var chain = new List<ReadOnlyMemory<byte>>(leaf.ChainLength);
        for (var i = 0; i < leaf.ChainLength; i++)
        {
            if (issuers is not null && issuers.TryGet(leaf.ChainFingerprint(i), out var der) && !der.IsEmpty)
                chain.Add(der);
        }
        missing = leaf.ChainLength - chain.Count;
        return chain;
    }
}
