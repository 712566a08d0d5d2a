using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace Certstream.Parser.Messages;

/// <summary>
/// A growable byte buffer rented from the array pool, with the few JSON primitives the messages need.
/// Strings are escaped exactly as Go's encoding/json does with SetEscapeHTML(false) — invalid UTF-8 becomes
/// <c>\ufffd</c>, U+2028/U+2029 are escaped, control characters use <c>\u00xx</c> — which no
/// <see cref="System.Text.Encodings.Web.JavaScriptEncoder"/> reproduces, hence a writer of our own.
/// </summary>
internal sealed class JsonBuffer : IDisposable
{
    private static ReadOnlySpan<byte> HexLower => "0123456789abcdef"u8;

    private byte[] _buffer;
    private int _length;

    public JsonBuffer(int initialCapacity = 16 * 1024) => _buffer = ArrayPool<byte>.Shared.Rent(initialCapacity);

    public int Length => _length;

    public ReadOnlyMemory<byte> WrittenMemory => _buffer.AsMemory(0, _length);

    public ReadOnlySpan<byte> WrittenSpan => _buffer.AsSpan(0, _length);

    public void Clear() => _length = 0;

    public void Dispose()
    {
        var buffer = _buffer;
        _buffer = [];
        _length = 0;
        if (buffer.Length > 0)
            ArrayPool<byte>.Shared.Return(buffer);
    }

    public Span<byte> GetSpan(int size)
    {
        if (_buffer.Length - _length < size)
            Grow(size);
        return _buffer.AsSpan(_length);
    }

    public void Advance(int count) => _length += count;

    public void WriteRaw(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(GetSpan(bytes.Length));
        _length += bytes.Length;
    }

    public void WriteByte(byte b)
    {
        if (_length == _buffer.Length)
            Grow(1);
        _buffer[_length++] = b;
    }

    public void WriteNumber(long value)
    {
        value.TryFormat(GetSpan(24), out var written, default, CultureInfo.InvariantCulture);
        _length += written;
    }

    public void WriteNumber(ulong value)
    {
        value.TryFormat(GetSpan(24), out var written, default, CultureInfo.InvariantCulture);
        _length += written;
    }

    /// <summary>Shortest round-trip decimal, as Go's strconv 'f' -1 gives for the magnitudes of Unix timestamps.</summary>
    public void WriteNumber(double value)
    {
        if (double.IsNaN(value) || double.IsInfinity(value))
            value = 0;
        value.TryFormat(GetSpan(40), out var written, "R", CultureInfo.InvariantCulture);
        _length += written;
    }

    public void WriteBase64(ReadOnlySpan<byte> data)
    {
        var span = GetSpan(Base64.GetMaxEncodedToUtf8Length(data.Length));
        Base64.EncodeToUtf8(data, span, out _, out var written);
        _length += written;
    }

    /// <summary>Writes UTF-8 text (possibly invalid) escaped, without quotes.</summary>
    public void WriteEscaped(ReadOnlySpan<byte> text)
    {
        var i = 0;
        while (i < text.Length)
        {
            // Copy the run of bytes that need no escaping in one go.
            var run = i;
            while (run < text.Length && text[run] >= 0x20 && text[run] < 0x80 && text[run] != '"' && text[run] != '\\')
                run++;
            if (run > i)
            {
                WriteRaw(text[i..run]);
                i = run;
                if (i == text.Length)
                    break;
            }

            var b = text[i];
            if (b < 0x80)
            {
                WriteAsciiEscape(b);
                i++;
                continue;
            }

            var status = Rune.DecodeFromUtf8(text[i..], out var rune, out var consumed);
            if (status != OperationStatus.Done)
            {
                WriteRaw("\\ufffd"u8); // Go replaces each invalid byte
                i++;
                continue;
            }
            if (rune.Value is 0x2028 or 0x2029)
            {
                WriteRaw(rune.Value == 0x2028 ? "\\u2028"u8 : "\\u2029"u8);
            }
            else
            {
                WriteRaw(text.Slice(i, consumed));
            }
            i += consumed;
        }
    }

    /// <summary>Writes one Unicode scalar (from BMP/Universal strings) escaped.</summary>
    public void WriteEscaped(Rune rune)
    {
        if (rune.Value < 0x80)
        {
            var b = (byte)rune.Value;
            if (b >= 0x20 && b != '"' && b != '\\')
                WriteByte(b);
            else
                WriteAsciiEscape(b);
            return;
        }
        if (rune.Value is 0x2028 or 0x2029)
        {
            WriteRaw(rune.Value == 0x2028 ? "\\u2028"u8 : "\\u2029"u8);
            return;
        }
        _length += rune.EncodeToUtf8(GetSpan(4));
    }

    private void WriteAsciiEscape(byte b)
    {
        switch (b)
        {
            case (byte)'"': WriteRaw("\\\""u8); break;
            case (byte)'\\': WriteRaw("\\\\"u8); break;
            case (byte)'\n': WriteRaw("\\n"u8); break;
            case (byte)'\r': WriteRaw("\\r"u8); break;
            case (byte)'\t': WriteRaw("\\t"u8); break;
            case 0x08: WriteRaw("\\b"u8); break;
            case 0x0C: WriteRaw("\\f"u8); break;
            default:
                var span = GetSpan(6);
                "\\u00"u8.CopyTo(span);
                span[4] = HexLower[b >> 4];
                span[5] = HexLower[b & 0xF];
                _length += 6;
                break;
        }
    }

    private void Grow(int size)
    {
        var next = ArrayPool<byte>.Shared.Rent(Math.Max(_buffer.Length * 2, _length + size));
        _buffer.AsSpan(0, _length).CopyTo(next);
        if (_buffer.Length > 0)
            ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = next;
    }
}
