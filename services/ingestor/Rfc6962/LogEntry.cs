namespace Certstream.Ingestor.Rfc6962;

/// <summary>One element of a <c>get-entries</c> answer, base64-decoded into its <see cref="EntriesResponse"/>'s buffer (valid until that is disposed).</summary>
internal readonly record struct LogEntry(ReadOnlyMemory<byte> LeafInput, ReadOnlyMemory<byte> ExtraData);
