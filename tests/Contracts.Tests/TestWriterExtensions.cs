using System.Buffers;
using System.Runtime.CompilerServices;
using Certstream.Contracts.MessagePack;

namespace Certstream.Contracts.Tests;

internal static class TestWriterExtensions
{
    /// <summary>Appends bytes as they are, to build malformed or exotic messages.</summary>
    public static void WriteRawForTest(this MessagePackWriter writer, ReadOnlySpan<byte> bytes)
    {
        var output = Output(ref writer);
        bytes.CopyTo(output.GetSpan(bytes.Length));
        output.Advance(bytes.Length);
    }

    [UnsafeAccessor(UnsafeAccessorKind.Field, Name = "_output")]
    private static extern ref IBufferWriter<byte> Output(ref MessagePackWriter writer);
}

/// <summary>Builds multi-segment sequences, as a network reader may hand them over.</summary>
internal static class Segments
{
    public static ReadOnlySequence<byte> Split(byte[] bytes, int size)
    {
        Segment? first = null, last = null;
        for (var at = 0; at < bytes.Length; at += size)
        {
            var segment = new Segment(bytes.AsMemory(at, Math.Min(size, bytes.Length - at)), at);
            if (last is null)
                first = segment;
            else
                last.SetNext(segment);
            last = segment;
        }
        return first is null ? ReadOnlySequence<byte>.Empty : new ReadOnlySequence<byte>(first, 0, last!, last!.Memory.Length);
    }

    private sealed class Segment : ReadOnlySequenceSegment<byte>
    {
        public Segment(ReadOnlyMemory<byte> memory, long runningIndex)
        {
            Memory = memory;
            RunningIndex = runningIndex;
        }

        public void SetNext(Segment next) => Next = next;
    }
}
