using System.Buffers;
using System.Collections.Concurrent;
using Certstream.Hosting.Runtime;
using Microsoft.AspNetCore.Connections;

namespace Certstream.Edge;

/// <summary>
/// Kestrel's connection buffers (README "Memory"): 4 KiB pinned blocks, pooled like Kestrel's own pool, but emptied by
/// the <see cref="MemoryTrimmer"/> when the edge is quiet. Kestrel's pool keeps every block a crowd of connections ever
/// used and gives them back slowly (5 % every 10 s when idle, since .NET 10): 1,500 clients that came and went left
/// ~24 MiB behind for minutes. A plain array pool would let go at once but costs more CPU and memory under load.
/// </summary>
internal sealed class TrimmableBlockPoolFactory : IMemoryPoolFactory<byte>, IMemoryReleaser
{
    private readonly ConcurrentBag<TrimmableBlockPool> _pools = [];

    public MemoryPool<byte> Create(MemoryPoolOptions? options = null)
    {
        var pool = new TrimmableBlockPool();
        _pools.Add(pool);
        return pool;
    }

    /// <summary>Pooled bytes of the pools nobody rented from since the last look: a pool in use is not worth emptying.</summary>
    public long RetainedBytes => _pools.Sum(pool => pool.IdleBytes());

    public long Release() => _pools.Sum(pool => pool.Release());
}

/// <summary>One pool of 4 KiB blocks on the pinned object heap; a returned block waits in the pool until rented again or released.</summary>
internal sealed class TrimmableBlockPool : MemoryPool<byte>
{
    public const int BlockSize = 4096;

    private readonly ConcurrentQueue<Block> _free = new();
    private int _pooled;
    private int _rentsSinceLook;
    private bool _disposed;

    public override int MaxBufferSize => BlockSize;

    public long PooledBytes => (long)Volatile.Read(ref _pooled) * BlockSize;

    /// <summary>The pooled bytes when no block was rented since the previous call, else 0.</summary>
    public long IdleBytes() => Interlocked.Exchange(ref _rentsSinceLook, 0) > 0 ? 0 : PooledBytes;

    public override IMemoryOwner<byte> Rent(int minBufferSize = -1)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(minBufferSize, BlockSize);
        if (Volatile.Read(ref _rentsSinceLook) == 0) Interlocked.Exchange(ref _rentsSinceLook, 1);
        if (_free.TryDequeue(out var block))
        {
            Interlocked.Decrement(ref _pooled);
            return block;
        }
        return new Block(this);
    }

    /// <summary>Drops every pooled block (the GC frees them); returns their bytes.</summary>
    public long Release()
    {
        long released = 0;
        while (_free.TryDequeue(out _))
        {
            Interlocked.Decrement(ref _pooled);
            released += BlockSize;
        }
        return released;
    }

    protected override void Dispose(bool disposing)
    {
        _disposed = true;
        Release();
    }

    private void Return(Block block)
    {
        if (Volatile.Read(ref _disposed)) return;
        Interlocked.Increment(ref _pooled);
        _free.Enqueue(block);
    }

    private sealed class Block(TrimmableBlockPool pool) : IMemoryOwner<byte>
    {
        private readonly byte[] _array = GC.AllocateUninitializedArray<byte>(BlockSize, pinned: true);

        public Memory<byte> Memory => _array;

        public void Dispose() => pool.Return(this);
    }
}
