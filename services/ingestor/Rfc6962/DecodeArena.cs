namespace Certstream.Ingestor.Rfc6962;

/// <summary>
/// Where one <see cref="EntriesResponse"/> decodes its entries: 64 KiB blocks from <see cref="DecodeBlocks"/> filled one after another (a value larger
/// than a block gets a block of its own size). An answer of a few MB then holds about its decoded size, not the next power of
/// two a single rented array would round it up to. Dispose returns the blocks; the values must not be used after that.
/// </summary>
internal sealed class DecodeArena : IDisposable
{
    private readonly List<byte[]> _blocks = [];
    private int _used;

    /// <summary>Bytes of the blocks held (what the arena costs, used or not).</summary>
    public long HeldBytes { get; private set; }

    /// <summary>At least <paramref name="length"/> free bytes; <see cref="Commit"/> says how many were written.</summary>
    public Span<byte> Reserve(int length)
    {
        if (_blocks.Count == 0 || _blocks[^1].Length - _used < length)
        {
            _blocks.Add(DecodeBlocks.Shared.Rent(length));
            HeldBytes += _blocks[^1].Length;
            _used = 0;
        }
        return _blocks[^1].AsSpan(_used, length);
    }

    /// <summary>The <paramref name="written"/> bytes just written into the last <see cref="Reserve"/>d span, kept.</summary>
    public ReadOnlyMemory<byte> Commit(int written)
    {
        var value = _blocks[^1].AsMemory(_used, written);
        _used += written;
        return value;
    }

    public void Dispose()
    {
        foreach (var block in _blocks) DecodeBlocks.Shared.Return(block);
        _blocks.Clear();
        _used = 0;
        HeldBytes = 0;
    }
}
