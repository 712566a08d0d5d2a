using Certstream.Hosting.Runtime;

namespace Certstream.Ingestor.Rfc6962;

/// <summary>
/// The 64 KiB blocks <see cref="DecodeArena"/>s decode into, reused across answers. Small enough that an answer of ten entries
/// (the live tail of a log) holds one block rather than a megabyte, and that blocks stay off the large object heap, which
/// only full collections clean. Unlike the shared array pool, which keeps what a catch-up rented until the runtime sees
/// memory pressure, this keeps at most <see cref="MaxRetained"/> free blocks (8 MiB, half the default fetch buffer) and gives
/// every one of them back when the process goes quiet (<see cref="MemoryTrimmer"/>).
/// </summary>
internal sealed class DecodeBlocks : IMemoryReleaser
{
    public const int BlockSize = 64 * 1024;
    public const int MaxRetained = 128;

    private readonly Stack<byte[]> _free = new();

    public static DecodeBlocks Shared { get; } = new();

    /// <summary>Free blocks held now.</summary>
    public int Retained
    {
        get { lock (_free) return _free.Count; }
    }

    /// <summary>A block of <see cref="BlockSize"/>, or an array of its own for a larger <paramref name="length"/> (not reused).</summary>
    public byte[] Rent(int length)
    {
        if (length > BlockSize) return GC.AllocateUninitializedArray<byte>(length);
        lock (_free)
        {
            if (_free.TryPop(out var block)) return block;
        }
        return GC.AllocateUninitializedArray<byte>(BlockSize);
    }

    public void Return(byte[] block)
    {
        if (block.Length != BlockSize) return;
        lock (_free)
        {
            if (_free.Count < MaxRetained) _free.Push(block);
        }
    }

    public long Release()
    {
        lock (_free)
        {
            var released = (long)_free.Count * BlockSize;
            _free.Clear();
            return released;
        }
    }
}
