namespace Certstream.Contracts.MessagePack;

/// <summary>
/// The input is not the MessagePack the caller expected: truncated, malformed, a value of another type,
/// a number out of range, or nested deeper than <see cref="MessagePackReader.MaxDepth"/>.
/// This is the only exception <see cref="MessagePackReader"/> throws for bad input, so a caller can
/// catch it and count the message as skipped.
/// </summary>
public sealed class MessagePackFormatException : Exception
{
    public MessagePackFormatException()
    {
    }

    public MessagePackFormatException(string message)
        : base(message)
    {
    }

    public MessagePackFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public MessagePackFormatException(string message, int offset)
        : base($"{message} (at byte {offset})")
    {
        Offset = offset;
    }

    /// <summary>Where in the input the problem was found, or -1 when not known.</summary>
    public int Offset { get; } = -1;
}
