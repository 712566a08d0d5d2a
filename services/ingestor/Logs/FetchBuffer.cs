namespace Certstream.Ingestor.Logs;

/// <summary>
/// The service-wide bound on fetched entry data not yet handed to the publisher (<c>ingestor.fetch_buffer</c>, README
/// "Memory"): every get-entries request and data-tile fetch reserves its expected size before it is sent and gives it back
/// once its entries are published, so the answers held at once stay within the buffer however many logs catch up together.
/// Waiters are admitted in arrival order; one reservation larger than the whole buffer is admitted when nothing else is held.
/// </summary>
internal sealed class FetchBuffer
{
    /// <summary>
    /// What a fetch reserves per entry until a log's own answers tell: a typical entry is ~4.5 KB decoded (leaf and chain),
    /// ~6 KB as base64 in JSON.
    /// </summary>
    public const double TypicalEntryBytes = 6 * 1024;

    private readonly Lock _gate = new();
    private readonly LinkedList<Waiter> _waiting = [];
    private long _held;

    public FetchBuffer(long capacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        Capacity = capacity;
    }

    public long Capacity { get; }

    /// <summary>Bytes reserved now.</summary>
    public long Held
    {
        get { lock (_gate) return _held; }
    }

    /// <summary>Waits until <paramref name="bytes"/> fit, then holds them until the reservation is disposed.</summary>
    public async ValueTask<Reservation> ReserveAsync(long bytes, CancellationToken cancellationToken)
    {
        bytes = Math.Max(1, bytes);
        Waiter waiter;
        lock (_gate)
        {
            if (_waiting.Count == 0 && Fits(bytes))
            {
                _held += bytes;
                return new Reservation(this, bytes);
            }
            waiter = new Waiter(bytes);
            waiter.Node = _waiting.AddLast(waiter);
        }
        try
        {
            await waiter.Admitted.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            lock (_gate)
            {
                // Admitted at the same moment: give the bytes back; else leave the queue (which may let the next one in).
                if (waiter.Admitted.Task.IsCompleted) Release(bytes);
                else
                {
                    _waiting.Remove(waiter.Node!);
                    AdmitWaiters();
                }
            }
            throw;
        }
        return new Reservation(this, bytes);
    }

    private bool Fits(long bytes) => _held == 0 || _held + bytes <= Capacity;

    /// <summary>Changes a held reservation's size (e.g. from the estimate to what the answer really holds).</summary>
    private void Resize(long from, long to)
    {
        lock (_gate)
        {
            _held += to - from;
            if (to < from) AdmitWaiters();
        }
    }

    private void Release(long bytes)
    {
        lock (_gate)
        {
            _held -= bytes;
            AdmitWaiters();
        }
    }

    // Under _gate: admits waiters in order while the first one fits.
    private void AdmitWaiters()
    {
        while (_waiting.First is { } first && Fits(first.Value.Bytes))
        {
            _waiting.RemoveFirst();
            _held += first.Value.Bytes;
            first.Value.Admitted.TrySetResult();
        }
    }

    private sealed class Waiter(long bytes)
    {
        public long Bytes { get; } = bytes;

        public TaskCompletionSource Admitted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public LinkedListNode<Waiter>? Node { get; set; }
    }

    /// <summary>Bytes held in the buffer until disposed.</summary>
    public sealed class Reservation : IDisposable
    {
        private readonly FetchBuffer _buffer;
        private long _bytes;

        internal Reservation(FetchBuffer buffer, long bytes)
        {
            _buffer = buffer;
            _bytes = bytes;
        }

        public long Bytes => _bytes;

        /// <summary>Holds <paramref name="bytes"/> instead (at least 1); a smaller size lets waiters in.</summary>
        public void Resize(long bytes)
        {
            bytes = Math.Max(1, bytes);
            if (_bytes == 0 || bytes == _bytes) return;
            _buffer.Resize(_bytes, bytes);
            _bytes = bytes;
        }

        public void Dispose()
        {
            var bytes = Interlocked.Exchange(ref _bytes, 0);
            if (bytes > 0) _buffer.Release(bytes);
        }
    }
}
