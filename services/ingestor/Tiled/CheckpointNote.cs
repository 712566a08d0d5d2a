using System.Globalization;
using System.Text;

namespace Certstream.Ingestor.Tiled;

/// <summary>
/// A static-ct <c>/checkpoint</c> (c2sp.org/static-ct-api, c2sp.org/tlog-checkpoint): a signed note whose text is origin, tree size and
/// base64 root hash, a blank line, then one or more signature lines <c>— &lt;name&gt; &lt;base64&gt;</c>.
/// Signatures are kept as text, not verified here.
/// </summary>
internal sealed record CheckpointNote(string Origin, ulong TreeSize, ReadOnlyMemory<byte> RootHash, IReadOnlyList<string> Signatures)
{
    private const string SignaturePrefix = "\u2014 ";

    public static CheckpointNote? TryParse(ReadOnlySpan<byte> utf8)
    {
        string text;
        try
        {
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(utf8);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
        var lines = text.Split('\n');
        var blank = Array.IndexOf(lines, "");
        // Origin, size and hash, then (tlog-checkpoint) optional extension lines, then the blank line.
        if (blank < 3) return null;
        var origin = lines[0];
        if (origin.Length == 0 || origin.Any(char.IsWhiteSpace)) return null;
        if (lines[1].Length == 0 || !lines[1].All(char.IsAsciiDigit)
            || !ulong.TryParse(lines[1], NumberStyles.None, CultureInfo.InvariantCulture, out var treeSize)) return null;
        if (lines[1].Length > 1 && lines[1][0] == '0') return null;
        var hash = new byte[32];
        if (!Convert.TryFromBase64String(lines[2], hash, out var written) || written != 32) return null;

        var signatures = new List<string>();
        for (var i = blank + 1; i < lines.Length; i++)
        {
            if (lines[i].Length == 0 && i == lines.Length - 1) break; // the final newline
            if (!lines[i].StartsWith(SignaturePrefix, StringComparison.Ordinal)) return null;
            signatures.Add(lines[i]);
        }
        return signatures.Count == 0 ? null : new CheckpointNote(origin, treeSize, hash, signatures);
    }
}
