namespace Certstream.Ingestor.Tiled;

/// <summary>Data tile arithmetic (c2sp.org/tlog-tiles–2.4): 256 entries a tile; only the right edge is partial.</summary>
internal static class TileLayout
{
    public const int Width = 256;

    /// <summary>The data tile holding entry <paramref name="index"/>.</summary>
    public static ulong TileOf(ulong index) => index / Width;

    /// <summary>The position of entry <paramref name="index"/> inside its tile.</summary>
    public static int OffsetOf(ulong index) => (int)(index % Width);

    /// <summary>The first entry of tile <paramref name="tile"/>.</summary>
    public static ulong FirstIndexOf(ulong tile) => tile * Width;

    /// <summary>How many full data tiles a tree of <paramref name="treeSize"/> entries has.</summary>
    public static ulong FullTiles(ulong treeSize) => treeSize / Width;

    /// <summary>The width of the right-edge partial tile (0 when the tree ends on a tile boundary).</summary>
    public static int PartialWidth(ulong treeSize) => (int)(treeSize % Width);
}
