using System.Globalization;
using System.Text;

namespace Certstream.CtLogSim.Logs;

/// <summary>c2sp.org/tlog-tiles index encoding: 3-digit groups, every group but the last prefixed with "x".</summary>
internal static class TilePath
{
    public static string Encode(long index)
    {
        var groups = new List<string>();
        do
        {
            groups.Add((index % 1000).ToString("000", CultureInfo.InvariantCulture));
            index /= 1000;
        } while (index > 0);
        groups.Reverse();
        var sb = new StringBuilder();
        for (var i = 0; i < groups.Count; i++)
        {
            if (i > 0) sb.Append('/');
            if (i < groups.Count - 1) sb.Append('x');
            sb.Append(groups[i]);
        }
        return sb.ToString();
    }

    /// <summary>Parses "x001/234" or "x001/234.p/17"; only the canonical form is accepted, like a static file server.</summary>
    public static bool TryParse(string path, out long index, out int partialWidth)
    {
        index = 0;
        partialWidth = 0;
        var p = path.IndexOf(".p/", StringComparison.Ordinal);
        if (p >= 0)
        {
            var width = path[(p + 3)..];
            if (width.Length is < 1 or > 3 || !width.All(char.IsAsciiDigit) || (width.Length > 1 && width[0] == '0')) return false;
            partialWidth = int.Parse(width, CultureInfo.InvariantCulture);
            if (partialWidth is < 1 or > 255) return false;
            path = path[..p];
        }
        var groups = path.Split('/');
        if (groups.Length > 7) return false;
        for (var i = 0; i < groups.Length; i++)
        {
            var g = groups[i];
            var last = i == groups.Length - 1;
            if (!last)
            {
                if (g.Length != 4 || g[0] != 'x') return false;
                g = g[1..];
            }
            if (g.Length != 3 || !g.All(char.IsAsciiDigit)) return false;
            index = index * 1000 + int.Parse(g, CultureInfo.InvariantCulture);
        }
        // No leading all-zero groups ("x000/001" is not canonical).
        return Encode(index) == path;
    }
}
