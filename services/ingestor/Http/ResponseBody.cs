using System.Buffers;

namespace Certstream.Ingestor.Http;

/// <summary>
/// A response body held in pooled 64 KiB chunks, under the 85 KB large-object threshold: a get-entries answer of a few MB
/// is parsed from <see cref="Sequence"/> without ever being one large array. Dispose returns the chunks to the pool.
/// </summary>
internal sealed class ResponseBody : IDisposable
{
    public const int ChunkSize = 64 * 1024;

    private readonly List<byte[]> _chunks = [];

    public long Length { get; private set; }

    /// <summary>The body as one sequence over the chunks; valid until disposed.</summary>
    public ReadOnlySequence<byte> Sequence
    {
        get
        {
            if (_chunks.Count == 0) return ReadOnlySequence<byte>.Empty;
            var first = new Segment(_chunks[0].AsMemory(0, (int)Math.Min(ChunkSize, Length)), 0);
            var last = first;
            for (var i = 1; i < _chunks.Count; i++)
            {
                var offset = (long)i * ChunkSize;
                last = last.Append(_chunks[i].AsMemory(0, (int)Math.Min(ChunkSize, Length - offset)));
            }
            return new ReadOnlySequence<byte>(first, 0, last, last.Memory.Length);
        }
    }

    /// <summary>Reads <paramref name="stream"/> to its end; null (and nothing kept) once it exceeds <paramref name="maxBytes"/>.</summary>
    public static async Task<ResponseBody?> ReadAsync(Stream stream, int maxBytes, CancellationToken cancellationToken)
    {
        var body = new ResponseBody();
        try
        {
            while (true)
            {
                var chunk = ArrayPool<byte>.Shared.Rent(ChunkSize);
                body._chunks.Add(chunk);
                var filled = 0;
                int read;
                while (filled < ChunkSize && (read = await stream.ReadAsync(chunk.AsMemory(filled, ChunkSize - filled), cancellationToken)) > 0)
                {
                    filled += read;
                    if (body.Length + filled > maxBytes)
                    {
                        body.Dispose();
                        return null;
                    }
                }
                body.Length += filled;
                if (filled < ChunkSize) return body;
            }
        }
        catch
        {
            body.Dispose();
            throw;
        }
    }

    public byte[] ToArray() => Sequence.ToArray();

    public void Dispose()
    {
        foreach (var chunk in _chunks) ArrayPool<byte>.Shared.Return(chunk);
        _chunks.Clear();
        Length = 0;
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public Segment Append(ReadOnlyMemory<byte> memory)
        {
            var next = new Segment(memory, RunningIndex + Memory.Length);
            Next = next;
            return next;
        }
    }
}
