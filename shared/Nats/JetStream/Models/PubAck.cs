namespace Certstream.Nats.JetStream.Models;

/// <summary>A stream's acknowledgement of a publish (§3.5). <see cref="Duplicate"/>: the Nats-Msg-Id was seen within the window and <see cref="Seq"/> is the original's.</summary>
public readonly record struct PubAck(string Stream, ulong Seq, bool Duplicate);
