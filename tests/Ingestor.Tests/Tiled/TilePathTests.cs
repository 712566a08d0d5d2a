using Certstream.Ingestor.Tiled;

namespace Certstream.Ingestor.Tests.Tiled;

public sealed class TilePathTests
{
    [Theory]
    [InlineData(0UL, "000")]
    [InlineData(5UL, "005")]
    [InlineData(999UL, "999")]
    [InlineData(1000UL, "x001/000")]
    [InlineData(1234UL, "x001/234")]
    [InlineData(1234067UL, "x001/x234/067")]
    [InlineData(1999001UL, "x001/x999/001")]
    [InlineData(6202854UL, "x006/x202/854")]
    public void Tile_indices_are_encoded_in_x_prefixed_three_digit_groups(ulong tile, string path) =>
        Assert.Equal(path, TilePath.Encode(tile));

    [Fact]
    public void Data_tile_paths_carry_the_partial_width_only_when_partial()
    {
        Assert.Equal("tile/data/x001/234", TilePath.Data(1234, 256));
        Assert.Equal("tile/data/003.p/10", TilePath.Data(3, 10));
        Assert.Throws<ArgumentOutOfRangeException>(() => TilePath.Data(3, 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => TilePath.Data(3, 257));
    }

    [Fact]
    public void Tile_arithmetic_splits_a_tree_into_full_tiles_and_a_partial_edge()
    {
        // c2sp.org/tlog-tiles: size 70,000 = 273 full data tiles + a partial of 112.
        Assert.Equal(273UL, TileLayout.FullTiles(70_000));
        Assert.Equal(112, TileLayout.PartialWidth(70_000));
        Assert.Equal(3UL, TileLayout.FullTiles(778));
        Assert.Equal(10, TileLayout.PartialWidth(778));
        Assert.Equal(0, TileLayout.PartialWidth(1024));
        Assert.Equal(3UL, TileLayout.TileOf(777));
        Assert.Equal(9, TileLayout.OffsetOf(777));
        Assert.Equal(768UL, TileLayout.FirstIndexOf(3));
    }
}
