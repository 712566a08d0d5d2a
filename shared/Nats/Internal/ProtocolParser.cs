using System.Buffers;
using System.IO.Pipelines;
using System.Text;

namespace Certstream.Nats.Internal;

/// <summary>
/// Server → client protocol parser over a <see cref="ReadOnlySequence{T}"/> (§1.1, §1.5). Control lines are split on runs
/// of spaces or tabs (trap 1), op names are case-insensitive, and every length is bounded: a control line
/// over 4096 bytes or a message over the payload limit is a protocol error, so memory stays bounded on any input.
/// </summary>
internal static class ProtocolParser
{
    /// <summary>nats-server 2.9 MAX_CONTROL_LINE_SIZE (§1.1).</summary>
    public const int MaxControlLine = 4096;

    /// <summary>Reads and dispatches until the stream ends or the token fires; throws <see cref="NatsProtocolException"/> on bad input.</summary>
    public static async Task RunAsync(PipeReader reader, IProtocolHandler handler, Func<int> payloadLimit, CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
            var buffer = result.Buffer;
            ParseAll(ref buffer, handler, payloadLimit());
            // Consumed up to the first incomplete op; examined everything, so the next read waits for new bytes.
            reader.AdvanceTo(buffer.Start, buffer.End);
            if (result.IsCompleted || result.IsCanceled)
            {
                if (!buffer.IsEmpty && result.IsCompleted)
                    throw new NatsProtocolException("Connection closed in the middle of an operation");
                return;
            }
        }
    }

    /// <summary>Parses every complete operation at the start of <paramref name="buffer"/> and slices them off.</summary>
    public static void ParseAll(ref ReadOnlySequence<byte> buffer, IProtocolHandler handler, int payloadLimit)
    {
        while (TryParseOne(ref buffer, handler, payloadLimit)) { }
    }

    private static bool TryParseOne(ref ReadOnlySequence<byte> buffer, IProtocolHandler handler, int payloadLimit)
    {
        if (buffer.IsEmpty) return false;
        var reader = new SequenceReader<byte>(buffer);
        if (!reader.TryReadTo(out ReadOnlySequence<byte> lineSeq, (byte)'\n', advancePastDelimiter: true))
        {
            if (buffer.Length > MaxControlLine + 2) throw new NatsProtocolException("Control line exceeds 4096 bytes");
            return false;
        }
        if (lineSeq.Length > MaxControlLine + 1) throw new NatsProtocolException("Control line exceeds 4096 bytes");

        Span<byte> copy = stackalloc byte[MaxControlLine + 2];
        scoped ReadOnlySpan<byte> line;
        if (lineSeq.IsSingleSegment)
        {
            line = lineSeq.FirstSpan;
        }
        else
        {
            lineSeq.CopyTo(copy);
            line = copy[..(int)lineSeq.Length];
        }
        if (line.Length > 0 && line[^1] == (byte)'\r') line = line[..^1];
        if (line.Length < 3) throw Bad(line);

        switch (line[0] | 0x20)
        {
            case 'm' when StartsWithOp(line, "msg"u8):
                return ParseMsg(ref buffer, ref reader, line[3..], hasHeaders: false, handler, payloadLimit);
            case 'h' when StartsWithOp(line, "hmsg"u8):
                return ParseMsg(ref buffer, ref reader, line[4..], hasHeaders: true, handler, payloadLimit);
            case 'p' when IsExactly(line, "ping"u8):
                buffer = buffer.Slice(reader.Position);
                handler.OnPing();
                return true;
            case 'p' when IsExactly(line, "pong"u8):
                buffer = buffer.Slice(reader.Position);
                handler.OnPong();
                return true;
            case 'i' when StartsWithOp(line, "info"u8):
                buffer = buffer.Slice(reader.Position);
                handler.OnInfo(line[4..].Trim(" \t"u8));
                return true;
            case '+' when IsExactly(line, "+ok"u8):
                buffer = buffer.Slice(reader.Position);
                handler.OnOk();
                return true;
            case '-' when line.Length >= 4 && EqualsIgnoreCase(line[..4], "-err"u8) && (line.Length == 4 || IsBlank(line[4])):
                buffer = buffer.Slice(reader.Position);
                handler.OnErr(ErrText(line[4..]));
                return true;
            default:
                throw Bad(line);
        }
    }

    // MSG <subject> <sid> [reply-to] <#bytes> / HMSG <subject> <sid> [reply-to] <#hdr> <#total>  (§1.5)
    private static bool ParseMsg(ref ReadOnlySequence<byte> buffer, ref SequenceReader<byte> reader, scoped ReadOnlySpan<byte> args,
        bool hasHeaders, IProtocolHandler handler, int payloadLimit)
    {
        Span<Range> parts = stackalloc Range[6];
        var n = Split(args, parts);
        int sizeArgs = hasHeaders ? 2 : 1;
        if (n != 2 + sizeArgs && n != 3 + sizeArgs) throw new NatsProtocolException($"Wrong argument count in {(hasHeaders ? "HMSG" : "MSG")}");
        var subject = args[parts[0]];
        var sid = ParseNumber(args[parts[1]], int.MaxValue, "sid");
        var replyTo = n == 3 + sizeArgs ? args[parts[2]] : default;
        var total = ParseNumber(args[parts[n - 1]], payloadLimit, "message size");
        var headerLength = hasHeaders ? ParseNumber(args[parts[n - 2]], payloadLimit, "header size") : 0;
        if (headerLength > total) throw new NatsProtocolException("HMSG header size exceeds total size");
        if (hasHeaders && headerLength < 10) throw new NatsProtocolException("HMSG header block too short");

        if (reader.Remaining < total + 2L) return false;
        var body = reader.UnreadSequence.Slice(0, total);
        reader.Advance(total);
        if (!reader.IsNext("\r\n"u8, advancePast: true)) throw new NatsProtocolException("Message payload not followed by CRLF");
        handler.OnMsg(subject, sid, replyTo, headerLength, body);
        buffer = buffer.Slice(reader.Position);
        return true;
    }

    private static int Split(ReadOnlySpan<byte> args, Span<Range> parts)
    {
        var n = 0;
        var i = 0;
        while (i < args.Length)
        {
            while (i < args.Length && IsBlank(args[i])) i++;
            if (i == args.Length) break;
            var start = i;
            while (i < args.Length && !IsBlank(args[i])) i++;
            if (n == parts.Length) throw new NatsProtocolException("Too many arguments");
            parts[n++] = new Range(start, i);
        }
        return n;
    }

    private static int ParseNumber(ReadOnlySpan<byte> digits, int max, string what)
    {
        if (digits.IsEmpty || digits.Length > 10) throw new NatsProtocolException($"Invalid {what}");
        long value = 0;
        foreach (var d in digits)
        {
            var v = d - '0';
            if ((uint)v > 9) throw new NatsProtocolException($"Invalid {what}");
            value = (value * 10) + v;
        }
        if (value > max) throw new NatsProtocolException($"The {what} {value} exceeds the limit {max}");
        return (int)value;
    }

    private static bool IsBlank(byte b) => b is (byte)' ' or (byte)'\t';

    private static bool StartsWithOp(ReadOnlySpan<byte> line, ReadOnlySpan<byte> lowerOp) =>
        line.Length > lowerOp.Length && EqualsIgnoreCase(line[..lowerOp.Length], lowerOp) && IsBlank(line[lowerOp.Length]);

    private static bool IsExactly(ReadOnlySpan<byte> line, ReadOnlySpan<byte> lowerOp) =>
        line.Length >= lowerOp.Length && EqualsIgnoreCase(line[..lowerOp.Length], lowerOp) && line[lowerOp.Length..].Trim(" \t"u8).IsEmpty;

    private static bool EqualsIgnoreCase(ReadOnlySpan<byte> a, ReadOnlySpan<byte> lower)
    {
        for (var i = 0; i < lower.Length; i++)
        {
            var c = a[i];
            if (c is >= (byte)'A' and <= (byte)'Z') c |= 0x20;
            if (c != lower[i]) return false;
        }
        return true;
    }

    // -ERR '<text>' → text (§1.5: wrapped in single quotes).
    private static string ErrText(ReadOnlySpan<byte> rest)
    {
        rest = rest.Trim(" \t"u8);
        if (rest.Length >= 2 && rest[0] == (byte)'\'' && rest[^1] == (byte)'\'') rest = rest[1..^1];
        return Encoding.UTF8.GetString(rest);
    }

    private static NatsProtocolException Bad(ReadOnlySpan<byte> line)
    {
        var shown = line.Length > 32 ? line[..32] : line;
        return new NatsProtocolException($"Unknown protocol operation: '{Encoding.ASCII.GetString(shown).ReplaceLineEndings(" ")}'");
    }
}
