namespace Certstream.Edge;

/// <summary>One stream's client count and delivery counters (metrics and /stats).</summary>
internal readonly record struct StreamTotals(int Clients, long MessagesSent, long BytesSent, long MessagesSkipped);
