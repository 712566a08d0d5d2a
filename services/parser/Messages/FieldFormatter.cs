using System.Text;
using Certstream.Parser.Certificates;

namespace Certstream.Parser.Messages;

/// <summary>Writes certificate values in certstream-server-go's text formats (docs/format.md), escaped, without quotes.</summary>
internal static class FieldFormatter
{
    private static ReadOnlySpan<byte> HexUpper => "0123456789ABCDEF"u8;
    private static ReadOnlySpan<byte> HexLower => "0123456789abcdef"u8;

    public static void WriteText(JsonBuffer output, ReadOnlySpan<byte> der, TextRef text)
    {
        var bytes = der.Slice(text.Start, text.Length);
        switch (text.Kind)
        {
            case TextKind.Raw:
                output.WriteEscaped(bytes);
                break;
            case TextKind.Bmp:
                // UTF-16BE; an unpaired surrogate becomes U+FFFD as in Go's utf16.Decode. A trailing odd byte is dropped.
                for (var i = 0; i + 1 < bytes.Length; i += 2)
                {
                    var unit = (char)((bytes[i] << 8) | bytes[i + 1]);
                    if (char.IsHighSurrogate(unit) && i + 3 < bytes.Length)
                    {
                        var low = (char)((bytes[i + 2] << 8) | bytes[i + 3]);
                        if (char.IsLowSurrogate(low))
                        {
                            output.WriteEscaped(new Rune(unit, low));
                            i += 2;
                            continue;
                        }
                    }
                    output.WriteEscaped(char.IsSurrogate(unit) ? Rune.ReplacementChar : new Rune(unit));
                }
                break;
            case TextKind.Universal:
                for (var i = 0; i + 3 < bytes.Length; i += 4)
                {
                    var value = (bytes[i] << 24) | (bytes[i + 1] << 16) | (bytes[i + 2] << 8) | bytes[i + 3];
                    output.WriteEscaped(Rune.IsValid(value) ? new Rune(value) : Rune.ReplacementChar);
                }
                break;
        }
    }

    /// <summary>True when two texts read the same (exact compare after decoding), for the all_domains de-duplication.</summary>
    public static bool SameText(ReadOnlySpan<byte> der, TextRef a, TextRef b)
    {
        if (a.Kind == b.Kind)
            return der.Slice(a.Start, a.Length).SequenceEqual(der.Slice(b.Start, b.Length));
        using var left = new JsonBuffer(256);
        using var right = new JsonBuffer(256);
        WriteText(left, der, a);
        WriteText(right, der, b);
        return left.WrittenSpan.SequenceEqual(right.WrittenSpan);
    }

    public static bool IsEmpty(TextRef text) => text.Kind switch
    {
        TextKind.Bmp => text.Length < 2,
        TextKind.Universal => text.Length < 4,
        _ => text.Length == 0,
    };

    /// <summary>Uppercase hex pairs separated by ':' (the fingerprint/sha1/sha256 format).</summary>
    public static void WriteColonHexUpper(JsonBuffer output, ReadOnlySpan<byte> bytes) => WriteColonHex(output, bytes, HexUpper);

    /// <summary>Lowercase hex pairs separated by ':' (the keyid: format).</summary>
    public static void WriteColonHexLower(JsonBuffer output, ReadOnlySpan<byte> bytes) => WriteColonHex(output, bytes, HexLower);

    private static void WriteColonHex(JsonBuffer output, ReadOnlySpan<byte> bytes, ReadOnlySpan<byte> digits)
    {
        if (bytes.IsEmpty)
            return;
        var span = output.GetSpan(bytes.Length * 3);
        var n = 0;
        for (var i = 0; i < bytes.Length; i++)
        {
            if (i > 0)
                span[n++] = (byte)':';
            span[n++] = digits[bytes[i] >> 4];
            span[n++] = digits[bytes[i] & 0xF];
        }
        output.Advance(n);
    }

    /// <summary>
    /// Go's <c>fmt.Sprintf("%X", big.Int)</c> of the two's-complement serial, with a '0' prepended when the
    /// result (sign included) has odd length — the reference's quirk, kept so clients see the same string.
    /// </summary>
    public static void WriteSerial(JsonBuffer output, ReadOnlySpan<byte> serial)
    {
        var negative = !serial.IsEmpty && (serial[0] & 0x80) != 0;
        Span<byte> magnitude = serial.Length <= 64 ? stackalloc byte[serial.Length] : new byte[serial.Length];
        serial.CopyTo(magnitude);
        if (negative)
        {
            // Two's complement negation: invert and add one.
            var carry = 1;
            for (var i = magnitude.Length - 1; i >= 0; i--)
            {
                var v = (byte)~magnitude[i] + carry;
                magnitude[i] = (byte)v;
                carry = v >> 8;
            }
        }

        var first = 0;
        while (first < magnitude.Length && magnitude[first] == 0)
            first++;
        var significant = magnitude[first..];

        var digits = significant.IsEmpty ? 1 : significant.Length * 2 - (significant[0] < 0x10 ? 1 : 0);
        var total = digits + (negative ? 1 : 0);
        var span = output.GetSpan(total + 1);
        var n = 0;
        if (total % 2 == 1)
            span[n++] = (byte)'0';
        if (negative)
            span[n++] = (byte)'-';
        if (significant.IsEmpty)
        {
            span[n++] = (byte)'0';
        }
        else
        {
            for (var i = 0; i < significant.Length; i++)
            {
                if (i > 0 || significant[0] >= 0x10)
                    span[n++] = HexUpper[significant[i] >> 4];
                span[n++] = HexUpper[significant[i] & 0xF];
            }
        }
        output.Advance(n);
    }

    /// <summary>Dotted decimal of an OBJECT IDENTIFIER's content octets (X.690 §8.19).</summary>
    public static void WriteOid(JsonBuffer output, ReadOnlySpan<byte> oid)
    {
        var span = output.GetSpan(oid.Length * 4 + 24);
        var n = FormatOid(oid, span);
        output.Advance(n);
    }

    public static int FormatOid(ReadOnlySpan<byte> oid, Span<byte> destination)
    {
        var n = 0;
        ulong value = 0;
        var firstArc = true;
        for (var i = 0; i < oid.Length; i++)
        {
            value = (value << 7) | (uint)(oid[i] & 0x7F);
            if ((oid[i] & 0x80) != 0 && i != oid.Length - 1)
                continue;
            if (firstArc)
            {
                var top = value < 40 ? 0UL : value < 80 ? 1UL : 2UL;
                top.TryFormat(destination[n..], out var w);
                n += w;
                destination[n++] = (byte)'.';
                (value - top * 40).TryFormat(destination[n..], out w);
                n += w;
                firstArc = false;
            }
            else
            {
                destination[n++] = (byte)'.';
                value.TryFormat(destination[n..], out var w);
                n += w;
            }
            value = 0;
        }
        return n;
    }

    /// <summary>Go's <c>net.IP.String()</c>: dotted IPv4 (also for IPv4-mapped IPv6), else RFC 5952 compressed IPv6.</summary>
    public static void WriteIp(JsonBuffer output, ReadOnlySpan<byte> ip)
    {
        if (ip.Length == 16 && ip[..10].IndexOfAnyExcept((byte)0) < 0 && ip[10] == 0xFF && ip[11] == 0xFF)
            ip = ip[12..];
        var span = output.GetSpan(48);
        var n = 0;
        if (ip.Length == 4)
        {
            for (var i = 0; i < 4; i++)
            {
                if (i > 0)
                    span[n++] = (byte)'.';
                ip[i].TryFormat(span[n..], out var w);
                n += w;
            }
            output.Advance(n);
            return;
        }

        // Longest run of two or more zero groups (the first one on a tie) becomes "::".
        int bestStart = -1, bestLength = 0;
        for (var i = 0; i < 8;)
        {
            if (ip[i * 2] == 0 && ip[i * 2 + 1] == 0)
            {
                var j = i;
                while (j < 8 && ip[j * 2] == 0 && ip[j * 2 + 1] == 0)
                    j++;
                if (j - i > bestLength && j - i >= 2)
                {
                    bestStart = i;
                    bestLength = j - i;
                }
                i = j;
            }
            else
            {
                i++;
            }
        }
        for (var i = 0; i < 8; i++)
        {
            if (i == bestStart)
            {
                span[n++] = (byte)':';
                span[n++] = (byte)':';
                i += bestLength - 1;
                continue;
            }
            if (i > 0 && i != bestStart + bestLength)
                span[n++] = (byte)':';
            var group = (ip[i * 2] << 8) | ip[i * 2 + 1];
            group.TryFormat(span[n..], out var w, "x");
            n += w;
        }
        output.Advance(n);
    }
}
