using System.Buffers;
using System.Globalization;
using System.Text;

namespace Certstream.Hosting.Metrics;

/// <summary>
/// Writes Prometheus text format 0.0.4 as UTF-8 straight into a buffer writer (the response's pipe).
/// See https://prometheus.io/docs/instrumenting/exposition_formats/#text-based-format.
/// </summary>
internal sealed class ExpositionWriter(IBufferWriter<byte> output)
{
    // Longest double is 24 chars ("-1.7976931348623157E+308"); longs fit in 20.
    private const int NumberBytes = 32;

    public void WriteFamilyHeader(string name, string help, MetricType type)
    {
        WriteAscii("# HELP ");
        WriteAscii(name);
        WriteByte((byte)' ');
        WriteEscaped(help, escapeQuote: false);
        WriteAscii("\n# TYPE ");
        WriteAscii(name);
        WriteAscii(type switch
        {
            MetricType.Counter => " counter\n",
            MetricType.Gauge => " gauge\n",
            _ => " histogram\n",
        });
    }

    /// <summary><c>name{labels,extra} value</c>; <paramref name="labels"/> and <paramref name="extra"/> are encoded label text.</summary>
    public void WriteSample(ReadOnlySpan<byte> name, ReadOnlySpan<byte> suffix, ReadOnlySpan<byte> labels, ReadOnlySpan<byte> extra, long value)
    {
        WriteSampleStart(name, suffix, labels, extra);
        var span = output.GetSpan(NumberBytes + 1);
        value.TryFormat(span, out var written, default, CultureInfo.InvariantCulture);
        span[written] = (byte)'\n';
        output.Advance(written + 1);
    }

    public void WriteSample(ReadOnlySpan<byte> name, ReadOnlySpan<byte> suffix, ReadOnlySpan<byte> labels, ReadOnlySpan<byte> extra, double value)
    {
        WriteSampleStart(name, suffix, labels, extra);
        var span = output.GetSpan(NumberBytes + 1);
        var written = FormatDouble(value, span);
        span[written] = (byte)'\n';
        output.Advance(written + 1);
    }

    /// <summary>
    /// Prometheus float syntax: <c>+Inf</c>, <c>-Inf</c>, <c>NaN</c>, else the shortest text that parses back to the
    /// same double ("R"), invariant culture (which would otherwise print "∞").
    /// </summary>
    public static int FormatDouble(double value, Span<byte> destination)
    {
        ReadOnlySpan<byte> special =
            double.IsNaN(value) ? "NaN"u8 :
            double.IsPositiveInfinity(value) ? "+Inf"u8 :
            double.IsNegativeInfinity(value) ? "-Inf"u8 : default;
        if (!special.IsEmpty)
        {
            special.CopyTo(destination);
            return special.Length;
        }
        value.TryFormat(destination, out var written, "R", CultureInfo.InvariantCulture);
        return written;
    }

    public static string FormatDouble(double value)
    {
        Span<byte> buffer = stackalloc byte[NumberBytes];
        return Encoding.ASCII.GetString(buffer[..FormatDouble(value, buffer)]);
    }

    /// <summary>Encodes <c>name="value"</c> pairs (names already valid) into label text, values escaped.</summary>
    public static byte[] EncodeLabels(IReadOnlyList<KeyValuePair<string, string>> labels)
    {
        if (labels.Count == 0) return [];
        var buffer = new ArrayBufferWriter<byte>();
        var writer = new ExpositionWriter(buffer);
        for (var i = 0; i < labels.Count; i++)
        {
            if (i > 0) writer.WriteByte((byte)',');
            writer.WriteAscii(labels[i].Key);
            writer.WriteAscii("=\"");
            writer.WriteEscaped(labels[i].Value, escapeQuote: true);
            writer.WriteByte((byte)'"');
        }
        return buffer.WrittenSpan.ToArray();
    }

    public static byte[] EncodeLabel(string name, string value) => EncodeLabels([new(name, value)]);

    private void WriteSampleStart(ReadOnlySpan<byte> name, ReadOnlySpan<byte> suffix, ReadOnlySpan<byte> labels, ReadOnlySpan<byte> extra)
    {
        Write(name);
        Write(suffix);
        if (!labels.IsEmpty || !extra.IsEmpty)
        {
            WriteByte((byte)'{');
            Write(labels);
            if (!labels.IsEmpty && !extra.IsEmpty) WriteByte((byte)',');
            Write(extra);
            WriteByte((byte)'}');
        }
        WriteByte((byte)' ');
    }

    /// <summary>
    /// Label values escape backslash, double quote and line feed; HELP text escapes backslash and line feed.
    /// Everything else (other control characters, any Unicode) is written as UTF-8 as is; lone surrogates
    /// become U+FFFD, since the format must be valid UTF-8.
    /// </summary>
    private void WriteEscaped(string text, bool escapeQuote)
    {
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            ReadOnlySpan<byte> escape = c switch
            {
                '\\' => "\\\\"u8,
                '\n' => "\\n"u8,
                '"' when escapeQuote => "\\\""u8,
                _ => default,
            };
            if (escape.IsEmpty) continue;
            WriteUtf8(text.AsSpan(start, i - start));
            Write(escape);
            start = i + 1;
        }
        WriteUtf8(text.AsSpan(start));
    }

    private void WriteUtf8(ReadOnlySpan<char> text)
    {
        if (text.IsEmpty) return;
        var span = output.GetSpan(Encoding.UTF8.GetMaxByteCount(text.Length));
        output.Advance(Encoding.UTF8.GetBytes(text, span));
    }

    private void WriteAscii(string text) => WriteUtf8(text);

    private void Write(ReadOnlySpan<byte> bytes)
    {
        if (bytes.IsEmpty) return;
        output.Write(bytes);
    }

    private void WriteByte(byte value)
    {
        var span = output.GetSpan(1);
        span[0] = value;
        output.Advance(1);
    }
}
