namespace Certstream.Parser.Certificates;

/// <summary>One BER/DER TLV. Offsets are absolute within the buffer the outermost reader was given.</summary>
internal readonly ref struct DerElement
{
    /// <summary>The first identifier octet (class, constructed bit, low tag number). High tag numbers keep 0x1F.</summary>
    public byte Tag { get; init; }

    public ReadOnlySpan<byte> Content { get; init; }

    /// <summary>Absolute offset of <see cref="Content"/>.</summary>
    public int ContentOffset { get; init; }

    /// <summary>The whole TLV, header included.</summary>
    public ReadOnlySpan<byte> Encoded { get; init; }

    public bool IsConstructed => (Tag & 0x20) != 0;

    /// <summary>Tag without the constructed bit, so BER constructed strings match their primitive tag.</summary>
    public byte TagIgnoringForm => (byte)(Tag & ~0x20);

    /// <summary>A reader over the children of this (constructed) element.</summary>
    public DerReader Children => new(Content, ContentOffset);
}
