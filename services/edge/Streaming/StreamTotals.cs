namespace Certstream.Edge;

/// <summary>
/// One stream's client counts (all; of those, the ones with a filter, reading Server-Sent Events, resumed, asking for unique
/// certificates) and delivery counters (metrics and /stats).
/// </summary>
internal readonly record struct StreamTotals(int Clients, long MessagesSent, long BytesSent, long MessagesSkipped, int FilteredClients = 0, int EventStreamClients = 0,
    int ResumedClients = 0, int UniqueClients = 0, long MessagesReplayed = 0);
