namespace Certstream.Parser.Messages;

/// <summary>Issuer certificates of a static-ct-api log by SHA-256 fingerprint (its <c>issuer/&lt;hex&gt;</c> resources).</summary>
public interface IIssuerSource
{
    bool TryGet(ReadOnlySpan<byte> sha256Fingerprint, out ReadOnlyMemory<byte> der);
}
