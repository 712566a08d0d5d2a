using Certstream.CtLogSim.Issuance;
using Certstream.CtLogSim.Logs;

namespace Certstream.CtLogSim;

/// <summary>
/// What the simulator's logs hold and serve, index by index, so tests can check a follower's output
/// for completeness and field values, plus per-log counts of requests and injected faults.
/// </summary>
internal sealed class SimRecord
{
    private readonly IReadOnlyDictionary<string, SimulatedLog> _logs;

    internal SimRecord(IReadOnlyDictionary<string, SimulatedLog> logs) => _logs = logs;

    public IReadOnlyCollection<string> LogNames => [.. _logs.Keys];

    public long TreeSize(string log) => Log(log).TreeSize;

    public RecordedEntry? Entry(string log, long index) => Entries(log, index, index).SingleOrDefault();

    /// <summary>Entries start..end inclusive, clamped to the current tree.</summary>
    public IReadOnlyList<RecordedEntry> Entries(string log, long start, long endInclusive)
    {
        var l = Log(log);
        var entries = l.Entries(start, endInclusive);
        var served = entries.Length == 0 ? [] : l.ServedCounts(start, entries.Length);
        return [.. entries.Select((e, i) => Recorded(log, l.Kind, e, served[i]))];
    }

    public long Requests(string log) => Log(log).Faults.Requests;

    public IReadOnlyDictionary<FaultKind, long> Faults(string log) => Log(log).Faults.Counts;

    private SimulatedLog Log(string name) =>
        _logs.TryGetValue(name, out var log) ? log : throw new ArgumentException($"no log named '{name}'", nameof(name));

    private static RecordedEntry Recorded(string log, LogKind kind, LogEntry e, int served) => new(
        log, e.Index, e.IsPrecert ? "precert" : "x509", e.Timestamp,
        e.LeafInput, e.ExtraData(), kind == LogKind.StaticCt ? e.TileLeaf() : null, e.LeafHash,
        e.Precertificate ?? e.LoggedCertificate.ToArray(), e.IsPrecert ? e.LoggedCertificate.ToArray() : null,
        Convert.ToHexStringLower(e.Issuer.IntermediateSha256), e.Facts, served);
}

/// <param name="Type">"x509" or "precert".</param>
/// <param name="Certificate">The final certificate, or the precertificate (with poison) for a precert.</param>
/// <param name="TileLeaf">The TileLeaf bytes in data tiles (static-ct logs only).</param>
/// <param name="IssuerSha256">Lowercase hex SHA-256 of the issuing intermediate (its issuer/ URL name).</param>
/// <param name="Served">How many times the entry went out in a complete, correct answer (get-entries or a data tile).</param>
internal sealed record RecordedEntry(
    string Log,
    long Index,
    string Type,
    long Timestamp,
    byte[] LeafInput,
    byte[] ExtraData,
    byte[]? TileLeaf,
    byte[] LeafHash,
    byte[] Certificate,
    byte[]? PrecertTbs,
    string IssuerSha256,
    CertificateFacts Facts,
    int Served);
