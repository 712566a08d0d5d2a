namespace Certstream.Ingestor.Rfc6962;

/// <summary>One element of a <c>get-entries</c> answer, base64-decoded.</summary>
internal readonly record struct LogEntry(byte[] LeafInput, byte[] ExtraData);
