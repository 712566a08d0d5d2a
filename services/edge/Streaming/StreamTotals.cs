namespace Certstream.Edge;

/// <summary>
/// One stream's client counts (all, those with a filter, those reading Server-Sent Events) and delivery counters (metrics and
/// /stats).
/// </summary>
internal readonly record struct StreamTotals(int Clients, long MessagesSent, long BytesSent, long MessagesSkipped, int FilteredClients = 0, int EventStreamClients = 0);
