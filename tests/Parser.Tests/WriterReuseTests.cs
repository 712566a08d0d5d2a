using Certstream.Parser.Messages;

namespace Certstream.Parser.Tests;

public sealed class WriterReuseTests
{
    [Fact]
    public void A_reused_writer_with_cached_chain_elements_writes_the_same_bytes_as_a_fresh_one()
    {
        var entries = GoldenLog.RfcEntries();
        using var reused = new MessageWriter();
        for (var round = 0; round < 2; round++)
        {
            for (var i = 0; i < entries.Count; i++)
            {
                using var fresh = new MessageWriter();
                Assert.Equal(EntryRejection.None, fresh.Write(GoldenLog.RfcInput(i, entries[i])));
                Assert.Equal(EntryRejection.None, reused.Write(GoldenLog.RfcInput(i, entries[i])));
                Assert.Equal(fresh.Full.ToArray(), reused.Full.ToArray());
                Assert.Equal(fresh.Lite.ToArray(), reused.Lite.ToArray());
                Assert.Equal(fresh.Domains.ToArray(), reused.Domains.ToArray());
            }
        }
    }

    [Fact]
    public void A_rejected_entry_leaves_no_output_from_the_previous_one()
    {
        var entries = GoldenLog.RfcEntries();
        using var writer = new MessageWriter();
        Assert.Equal(EntryRejection.None, writer.Write(GoldenLog.RfcInput(0, entries[0])));
        Assert.Equal(EntryRejection.MalformedLeafInput, writer.Write(GoldenLog.RfcInput(1, ([9, 9], []))));
        Assert.Equal(Certstream.Contracts.Ct.CtRejection.UnsupportedVersion, writer.LeafRejection);
        Assert.True(writer.Full.IsEmpty && writer.Lite.IsEmpty && writer.Domains.IsEmpty);
    }

    [Fact]
    public void An_empty_input_is_rejected_without_throwing()
    {
        using var writer = new MessageWriter();
        Assert.Equal(EntryRejection.MalformedLeafInput, writer.Write(TestEntries.Raw("https://empty.example/", "", "", Contracts.LogType.Rfc6962, 0, default, default, 0)));
        Assert.Equal(Certstream.Contracts.Ct.CtRejection.Truncated, writer.LeafRejection);
    }
}
