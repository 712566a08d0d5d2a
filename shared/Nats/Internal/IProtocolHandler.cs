using System.Buffers;

namespace Certstream.Nats.Internal;

/// <summary>Receives the operations the parser finds in the server's byte stream (§1.5).</summary>
internal interface IProtocolHandler
{
    /// <summary>MSG or HMSG. <paramref name="headerLength"/> is 0 for MSG; <paramref name="body"/> holds headers then payload.</summary>
    void OnMsg(ReadOnlySpan<byte> subject, int sid, ReadOnlySpan<byte> replyTo, int headerLength, in ReadOnlySequence<byte> body);

    void OnPing();

    void OnPong();

    void OnOk();

    void OnErr(string message);

    void OnInfo(ReadOnlySpan<byte> json);
}
