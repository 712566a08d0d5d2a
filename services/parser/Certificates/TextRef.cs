namespace Certstream.Parser.Certificates;

/// <summary>How the bytes of a <see cref="TextRef"/> turn into text.</summary>
internal enum TextKind : byte
{
    /// <summary>Taken as UTF-8 (UTF8String, PrintableString, IA5String, T61String as Go does); invalid bytes are replaced when written.</summary>
    Raw,
    /// <summary>BMPString: UCS-2/UTF-16 big-endian.</summary>
    Bmp,
    /// <summary>UniversalString: UCS-4 big-endian.</summary>
    Universal,
}

/// <summary>A string value inside the certificate DER, kept as a range so decoding allocates nothing.</summary>
internal readonly record struct TextRef(int Start, int Length, TextKind Kind);

/// <summary>A byte range inside the certificate DER.</summary>
internal readonly record struct ByteRange(int Start, int Length)
{
    public ReadOnlySpan<byte> Of(ReadOnlySpan<byte> der) => der.Slice(Start, Length);
}
