using Certstream.Ingestor.Rfc6962;

namespace Certstream.Ingestor.Tests.Rfc6962;

/// <summary>The decode blocks are reused, a bounded number is kept, and all of them go when the process trims.</summary>
public sealed class DecodeBlocksTests
{
    [Fact]
    public void A_returned_block_is_rented_again()
    {
        var pool = new DecodeBlocks();
        var block = pool.Rent(100);
        Assert.Equal(DecodeBlocks.BlockSize, block.Length);
        pool.Return(block);
        Assert.Same(block, pool.Rent(100));
    }

    [Fact]
    public void A_value_larger_than_a_block_gets_an_array_of_its_own_that_is_not_kept()
    {
        var pool = new DecodeBlocks();
        var large = pool.Rent(DecodeBlocks.BlockSize + 1);
        Assert.Equal(DecodeBlocks.BlockSize + 1, large.Length);
        pool.Return(large);
        Assert.Equal(0, pool.Retained);
    }

    [Fact]
    public void At_most_the_limit_of_free_blocks_is_kept_and_a_release_drops_them_all()
    {
        var pool = new DecodeBlocks();
        var blocks = Enumerable.Range(0, DecodeBlocks.MaxRetained + 10).Select(_ => pool.Rent(1)).ToList();
        foreach (var block in blocks) pool.Return(block);
        Assert.Equal(DecodeBlocks.MaxRetained, pool.Retained);

        Assert.Equal((long)DecodeBlocks.MaxRetained * DecodeBlocks.BlockSize, pool.Release());
        Assert.Equal(0, pool.Retained);
    }
}
