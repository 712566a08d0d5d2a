namespace Certstream.Contracts.Rfc6962;

/// <summary>TLS presentation-language pieces (RFC 5246 §4): big-endian lengths before opaque vectors.</summary>
internal static class TlsEncoding
{
    public static int WriteUInt24(Span<byte> span, int at, int value)
    {
        span[at] = (byte)(value >> 16);
        span[at + 1] = (byte)(value >> 8);
        span[at + 2] = (byte)value;
        return at + 3;
    }

    public static int WriteOpaque24(Span<byte> span, int at, ReadOnlySpan<byte> value)
    {
        at = WriteUInt24(span, at, value.Length);
        value.CopyTo(span[at..]);
        return at + value.Length;
    }

    public static int WriteOpaque16(Span<byte> span, int at, ReadOnlySpan<byte> value)
    {
        span[at] = (byte)(value.Length >> 8);
        span[at + 1] = (byte)value.Length;
        value.CopyTo(span[(at + 2)..]);
        return at + 2 + value.Length;
    }
}
