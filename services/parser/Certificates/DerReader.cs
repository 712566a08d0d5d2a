namespace Certstream.Parser.Certificates;

/// <summary>
/// A lenient BER/DER reader over a span: accepts indefinite lengths, non-minimal lengths and high tag numbers,
/// and reports damage by returning false instead of throwing (real CT logs hold certificates that strict DER rejects).
/// </summary>
internal ref struct DerReader
{
    // Deep enough for any real certificate; bounds the indefinite-length scan on hostile input.
    private const int MaxDepth = 48;

    private readonly ReadOnlySpan<byte> _data;
    private readonly int _baseOffset;
    private int _position;

    public DerReader(ReadOnlySpan<byte> data, int baseOffset = 0)
    {
        _data = data;
        _baseOffset = baseOffset;
        _position = 0;
    }

    public readonly bool HasData => _position < _data.Length;

    /// <summary>The tag of the next element without consuming it (0 when none).</summary>
    public readonly byte PeekTag() => HasData ? _data[_position] : (byte)0;

    public bool TryRead(out DerElement element)
    {
        element = default;
        if (!TryMeasure(_data[_position..], 0, out var headerLength, out var contentLength, out var totalLength))
            return false;
        var start = _position;
        element = new DerElement
        {
            Tag = _data[start],
            Content = _data.Slice(start + headerLength, contentLength),
            ContentOffset = _baseOffset + start + headerLength,
            Encoded = _data.Slice(start, totalLength),
        };
        _position += totalLength;
        return true;
    }

    /// <summary>Reads the next element if it has <paramref name="tag"/>; otherwise consumes nothing.</summary>
    public bool TryRead(byte tag, out DerElement element)
    {
        element = default;
        if (PeekTag() != tag)
            return false;
        return TryRead(out element);
    }

    public bool TrySkip() => TryRead(out _);

    /// <summary>
    /// Measures the TLV at the start of <paramref name="data"/>. For an indefinite length the content runs to the
    /// matching end-of-contents octets, which are counted in <paramref name="total"/> but not in <paramref name="contentLength"/>.
    /// </summary>
    private static bool TryMeasure(ReadOnlySpan<byte> data, int depth, out int headerLength, out int contentLength, out int total)
    {
        headerLength = contentLength = total = 0;
        if (data.IsEmpty || depth > MaxDepth)
            return false;

        var pos = 1;
        if ((data[0] & 0x1F) == 0x1F)
        {
            // High tag number: base-128 continuation octets.
            while (true)
            {
                if (pos >= data.Length || pos > 6)
                    return false;
                if ((data[pos++] & 0x80) == 0)
                    break;
            }
        }
        if (pos >= data.Length)
            return false;

        var first = data[pos++];
        if (first < 0x80)
        {
            contentLength = first;
        }
        else if (first == 0x80)
        {
            if ((data[0] & 0x20) == 0)
                return false;
            var inner = pos;
            while (true)
            {
                if (inner + 2 <= data.Length && data[inner] == 0 && data[inner + 1] == 0)
                {
                    headerLength = pos;
                    contentLength = inner - pos;
                    total = inner + 2;
                    return true;
                }
                if (!TryMeasure(data[inner..], depth + 1, out _, out _, out var childTotal))
                    return false;
                inner += childTotal;
            }
        }
        else
        {
            var count = first & 0x7F;
            long length = 0;
            for (var i = 0; i < count; i++)
            {
                if (pos >= data.Length)
                    return false;
                length = (length << 8) | data[pos++];
                if (length > int.MaxValue)
                    return false;
            }
            contentLength = (int)length;
        }

        if (contentLength > data.Length - pos)
            return false;
        headerLength = pos;
        total = pos + contentLength;
        return true;
    }
}
