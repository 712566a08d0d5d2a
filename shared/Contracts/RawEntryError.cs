namespace Certstream.Contracts;

/// <summary>Why <see cref="RawEntryCodec"/> could not read a message: a kind to count and a message to log.</summary>
public readonly record struct RawEntryError(RawEntryErrorKind Kind, string Message)
{
    public override string ToString() => Message;
}
