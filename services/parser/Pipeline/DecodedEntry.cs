namespace Certstream.Parser.Pipeline;

/// <summary>
/// What one raw entry became: its three messages (ranges in its worker's output) and the filter headers they carry
/// (<see cref="Certstream.Contracts.FilterHeaders"/>: <paramref name="Source"/>, <paramref name="Domains"/>, <paramref name="Seen"/>),
/// or the reason it is rejected. <paramref name="LeafId"/> names its leaf across logs (<c>x509:</c> or <c>precert:</c> and the
/// leaf hash in hex); <paramref name="IsFirst"/> is set once CT_UNIQUE has said whether it is the first copy.
/// </summary>
internal readonly record struct DecodedEntry(
    string Log, int Worker, int Start, int FullLength, int LiteLength, int DomainsLength, bool IsPrecert, string? Rejection,
    string Source = "", string Domains = "", string Seen = "", string LeafId = "", ulong Index = 0, bool IsFirst = false)
{
    public bool Ok => Rejection is null;

    public static DecodedEntry Rejected(string log, string reason) => new(log, 0, 0, 0, 0, 0, false, reason);

    public DecodedEntry WithRejection(string reason) => this with { Rejection = reason };
}
