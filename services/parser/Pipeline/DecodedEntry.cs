namespace Certstream.Parser.Pipeline;

/// <summary>
/// What one raw entry became: its three messages (ranges in its worker's output) and the filter headers they carry
/// (<see cref="Certstream.Contracts.FilterHeaders"/>: <paramref name="Source"/>, <paramref name="Domains"/>), or the reason it is rejected.
/// </summary>
internal readonly record struct DecodedEntry(
    string Log, int Worker, int Start, int FullLength, int LiteLength, int DomainsLength, bool IsPrecert, string? Rejection,
    string Source = "", string Domains = "")
{
    public bool Ok => Rejection is null;

    public static DecodedEntry Rejected(string log, string reason) => new(log, 0, 0, 0, 0, 0, false, reason);

    public DecodedEntry WithRejection(string reason) => this with { Rejection = reason };
}
