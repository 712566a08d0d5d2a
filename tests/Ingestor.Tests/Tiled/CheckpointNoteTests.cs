using System.Text;
using Certstream.Ingestor.Tiled;
using Certstream.TestSupport;

namespace Certstream.Ingestor.Tests.Tiled;

public sealed class CheckpointNoteTests
{
    [Fact]
    public void The_parcelyard_checkpoint_with_four_signature_lines_is_read()
    {
        var note = CheckpointNote.TryParse(File.ReadAllBytes(RepoPaths.Fixture("static-ct", "parcelyard2026h2_checkpoint_1587930800")));

        Assert.NotNull(note);
        Assert.Equal("parcelyard2026h2.prod.certificate.transparency.goog", note.Origin);
        Assert.Equal(1_587_930_800UL, note.TreeSize);
        Assert.Equal("SVJjVAjX0Ya5ibcpFy1V4CHHnUOnlJfuH9XSm7nbrqo=", Convert.ToBase64String(note.RootHash.Span));
        Assert.Equal(4, note.Signatures.Count);
        Assert.StartsWith("\u2014 witness.stagemole.eu ", note.Signatures[3], StringComparison.Ordinal);
    }

    [Fact]
    public void The_sycamore_checkpoint_is_read()
    {
        var note = CheckpointNote.TryParse(File.ReadAllBytes(RepoPaths.Fixture("static-ct", "sycamore2024h2_checkpoint_820495916")));

        Assert.NotNull(note);
        Assert.Equal("sycamore.ct.letsencrypt.org/2024h2", note.Origin);
        Assert.Equal(820_495_916UL, note.TreeSize);
        Assert.Single(note.Signatures);
    }

    [Theory]
    [InlineData("origin\n12\nSVJjVAjX0Ya5ibcpFy1V4CHHnUOnlJfuH9XSm7nbrqo=\n\n")]                              // no signature
    [InlineData("origin\n-12\nSVJjVAjX0Ya5ibcpFy1V4CHHnUOnlJfuH9XSm7nbrqo=\n\n\u2014 o AAAA\n")]              // negative size
    [InlineData("origin\n012\nSVJjVAjX0Ya5ibcpFy1V4CHHnUOnlJfuH9XSm7nbrqo=\n\n\u2014 o AAAA\n")]              // leading zero
    [InlineData("origin\n12\nc2hvcnQ=\n\n\u2014 o AAAA\n")]                                                    // hash not 32 bytes
    [InlineData("origin\n12\n\n\u2014 o AAAA\n")]                                                              // no hash line
    [InlineData("origin\n12\nSVJjVAjX0Ya5ibcpFy1V4CHHnUOnlJfuH9XSm7nbrqo=\n\n- o AAAA\n")]                    // not an em dash
    [InlineData("<html><body>Service Unavailable</body></html>")]
    public void Broken_notes_are_rejected(string text) => Assert.Null(CheckpointNote.TryParse(Encoding.UTF8.GetBytes(text)));
}
