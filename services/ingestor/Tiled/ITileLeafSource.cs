namespace Certstream.Ingestor.Tiled;

/// <summary>
/// Reads a static-ct data tile (c2sp.org/static-ct-api data tiles) and converts its TileLeafs to RFC 6962 form
/// (README "NATS subjects": <c>leaf_input</c> = <c>00 00</c> ‖ timestamped_entry; <c>extra_data</c> = certificate_chain or
/// PrecertChainEntry built from pre_certificate and the issuers). The integrator implements it with the
/// Contracts tile decoder and RFC 6962 encoders; the follower fetches the issuers it names.
/// Fingerprints are lower-case hex SHA-256 of the issuer DER, as in <c>issuer/&lt;hex&gt;</c>.
/// Both methods throw <see cref="InvalidDataException"/> when the tile does not hold <c>width</c> well-formed leaves.
/// </summary>
internal interface ITileLeafSource
{
    /// <summary>The distinct issuer fingerprints the first <paramref name="width"/> leaves reference.</summary>
    IReadOnlyCollection<string> IssuerFingerprints(ReadOnlyMemory<byte> tile, int width);

    /// <summary>
    /// The first <paramref name="width"/> leaves in index order, converted. <paramref name="issuers"/> holds the DER
    /// of every fingerprint <see cref="IssuerFingerprints"/> returned.
    /// </summary>
    IReadOnlyList<ConvertedLeaf> ToRfc6962(ReadOnlyMemory<byte> tile, int width, IReadOnlyDictionary<string, ReadOnlyMemory<byte>> issuers);
}
