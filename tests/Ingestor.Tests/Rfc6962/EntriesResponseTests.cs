using System.Buffers;
using System.Text;
using Certstream.Ingestor.Rfc6962;
using Certstream.TestSupport;

namespace Certstream.Ingestor.Tests.Rfc6962;

public sealed class EntriesResponseTests
{
    private static byte[] Fixture(string name) => File.ReadAllBytes(RepoPaths.Fixture("rfc6962", name));

    [Fact]
    public void Real_precert_and_x509_entries_are_read_in_order()
    {
        var answer = EntriesResponse.TryParse(Fixture("argon2027h1_get-entries_380000003-380000004.json"));

        Assert.NotNull(answer);
        Assert.False(answer.HasMalformed);
        Assert.Equal(2, answer.Entries.Count);
        Assert.Equal(1, answer.Entries[0].LeafInput.Span[11]); // precert_entry
        Assert.Equal(0, answer.Entries[1].LeafInput.Span[11]); // x509_entry
        Assert.All(answer.Entries, e => Assert.False(e.ExtraData.IsEmpty));
    }

    [Fact]
    public void The_2013_four_entry_answer_is_well_formed()
    {
        var answer = EntriesResponse.TryParse(Fixture("ctgo_scanner_FourEntries_get-entries.json"));

        Assert.NotNull(answer);
        Assert.Equal(4, answer.Entries.Count);
        Assert.False(answer.HasMalformed);
    }

    [Fact]
    public void A_truncated_leaf_stops_the_answer_at_the_entry_before_it()
    {
        var leaf = Convert.FromBase64String(File.ReadAllText(RepoPaths.Fixture("rfc6962", "ctgo_x509_entry.leaf_input.b64")).Trim());
        var good = Convert.ToBase64String(leaf);
        var cut = Convert.ToBase64String(leaf[..(leaf.Length - 3)]);
        var json = $"{{\"entries\":[{{\"leaf_input\":\"{good}\",\"extra_data\":\"\"}},{{\"leaf_input\":\"{cut}\",\"extra_data\":\"\"}},{{\"leaf_input\":\"{good}\",\"extra_data\":\"\"}}]}}";

        var answer = EntriesResponse.TryParse(Encoding.UTF8.GetBytes(json));

        Assert.NotNull(answer);
        Assert.True(answer.HasMalformed);
        Assert.Single(answer.Entries);
        Assert.NotNull(answer.Suspect);
        Assert.Equal(leaf.Length - 3, answer.Suspect.Value.LeafInput.Length);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(4096)]
    public void A_body_in_many_chunks_reads_as_the_same_entries(int chunkSize)
    {
        var json = Fixture("argon2027h1_get-entries_380000003-380000004.json");
        using var whole = EntriesResponse.TryParse(json);
        using var chunked = EntriesResponse.TryParse(Chunked(json, chunkSize));

        Assert.NotNull(whole);
        Assert.NotNull(chunked);
        Assert.False(chunked.HasMalformed);
        Assert.Equal(whole.Entries.Count, chunked.Entries.Count);
        for (var i = 0; i < whole.Entries.Count; i++)
        {
            Assert.Equal(whole.Entries[i].LeafInput.ToArray(), chunked.Entries[i].LeafInput.ToArray());
            Assert.Equal(whole.Entries[i].ExtraData.ToArray(), chunked.Entries[i].ExtraData.ToArray());
        }
    }

    [Fact]
    public void Escaped_slashes_in_base64_are_unescaped()
    {
        var leaf = Convert.FromBase64String(File.ReadAllText(RepoPaths.Fixture("rfc6962", "ctgo_precert_entry.leaf_input.b64")).Trim());
        var escaped = Convert.ToBase64String(leaf).Replace("/", "\\/", StringComparison.Ordinal);
        Assert.Contains("\\/", escaped, StringComparison.Ordinal);

        using var answer = EntriesResponse.TryParse(Encoding.UTF8.GetBytes($"{{\"entries\":[{{\"leaf_input\":\"{escaped}\",\"extra_data\":\"\"}}]}}"));

        Assert.NotNull(answer);
        Assert.False(answer.HasMalformed);
        Assert.Equal(leaf, answer.Entries[0].LeafInput.ToArray());
    }

    [Theory]
    [InlineData("<html>502</html>")]
    [InlineData("{\"entries\":[{\"leaf_input\":\"AAAA")]
    [InlineData("{\"error\":\"need tree size\"}")]
    [InlineData("[]")]
    public void Garbage_is_not_an_answer(string body) => Assert.Null(EntriesResponse.TryParse(Encoding.UTF8.GetBytes(body)));

    [Fact]
    public void Leaf_framing_accepts_real_leaves_and_rejects_cut_or_padded_ones()
    {
        var leaf = Convert.FromBase64String(File.ReadAllText(RepoPaths.Fixture("rfc6962", "ctgo_precert_entry.leaf_input.b64")).Trim());

        Assert.True(LeafFraming.IsWellFormed(leaf));
        Assert.False(LeafFraming.IsWellFormed(leaf.AsSpan(0, leaf.Length - 1)));
        Assert.False(LeafFraming.IsWellFormed([.. leaf, 0]));
        Assert.False(LeafFraming.IsWellFormed(leaf.AsSpan(0, 11)));
    }

    [Fact]
    public void Real_tree_heads_are_read()
    {
        Assert.True(SignedTreeHead.TryParse(Fixture("argon2027h1_get-sth_384065451.json"), out var sth));
        Assert.Equal(384_065_451UL, sth.TreeSize);
        Assert.Equal(1_791_095_073_447UL, sth.Timestamp);
        Assert.False(SignedTreeHead.TryParse("{\"tree_size\":-1}"u8.ToArray(), out _));
        Assert.False(SignedTreeHead.TryParse("nope"u8.ToArray(), out _));
    }

    private static ReadOnlySequence<byte> Chunked(byte[] bytes, int chunkSize)
    {
        var first = new Chunk(bytes.AsMemory(0, Math.Min(chunkSize, bytes.Length)), 0);
        var last = first;
        for (var at = chunkSize; at < bytes.Length; at += chunkSize)
        {
            var next = new Chunk(bytes.AsMemory(at, Math.Min(chunkSize, bytes.Length - at)), at);
            last.SetNext(next);
            last = next;
        }
        return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
    }

    private sealed class Chunk : ReadOnlySequenceSegment<byte>
    {
        public Chunk(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public void SetNext(Chunk next) => Next = next;
    }
}
