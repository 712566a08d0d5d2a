using System.Globalization;
using System.Text;

namespace Certstream.Ingestor.Tiled;

/// <summary>
/// Tile URL paths (c2sp.org/tlog-tiles): the index in 3-digit groups, every group but the last prefixed with
/// <c>x</c>, no leading all-zero groups (0 → <c>000</c>, 1234067 → <c>x001/x234/067</c>); partial tiles add <c>.p/&lt;W&gt;</c>.
/// </summary>
internal static class TilePath
{
    public static string Encode(ulong n)
    {
        var groups = new Stack<ulong>();
        do
        {
            groups.Push(n % 1000);
            n /= 1000;
        }
        while (n > 0);
        var path = new StringBuilder();
        while (groups.Count > 0)
        {
            var group = groups.Pop();
            if (groups.Count > 0) path.Append('x');
            path.Append(group.ToString("000", CultureInfo.InvariantCulture));
            if (groups.Count > 0) path.Append('/');
        }
        return path.ToString();
    }

    /// <summary><c>tile/&lt;L&gt;/&lt;N&gt;</c>, or <c>tile/&lt;L&gt;/&lt;N&gt;.p/&lt;W&gt;</c> for a partial hash tile of width 1..255.</summary>
    public static string Hash(int level, ulong tile, int width)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(level);
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(width, TileLayout.Width);
        var path = "tile/" + level.ToString(CultureInfo.InvariantCulture) + "/" + Encode(tile);
        return width == TileLayout.Width ? path : path + ".p/" + width.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary><c>tile/data/&lt;N&gt;</c>, or <c>tile/data/&lt;N&gt;.p/&lt;W&gt;</c> for a partial tile of width 1..255.</summary>
    public static string Data(ulong tile, int width)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(width, TileLayout.Width);
        var path = "tile/data/" + Encode(tile);
        return width == TileLayout.Width ? path : path + ".p/" + width.ToString(CultureInfo.InvariantCulture);
    }
}
