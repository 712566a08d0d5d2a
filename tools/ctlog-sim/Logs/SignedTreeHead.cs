namespace Certstream.CtLogSim.Logs;

/// <param name="Signature">TLS DigitallySigned over the RFC 6962 §3.5 TreeHeadSignature.</param>
/// <param name="Checkpoint">The same head as a c2sp.org/static-ct-api checkpoint (signed note).</param>
internal sealed record SignedTreeHead(long TreeSize, long Timestamp, byte[] RootHash, byte[] Signature, string Checkpoint);
