namespace Certstream.Parser.Certificates;

/// <summary>Maps an AlgorithmIdentifier to certstream-server-go's names (docs/format.md), hash first except for ECDSA/DSA as it does.</summary>
internal static class SignatureAlgorithms
{
    public const string Unknown = "unknown";

    private static ReadOnlySpan<byte> Pkcs1Prefix => [0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01];
    private static ReadOnlySpan<byte> EcdsaSha1 => [0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x04, 0x01];
    private static ReadOnlySpan<byte> EcdsaSha2Prefix => [0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x04, 0x03];
    private static ReadOnlySpan<byte> DsaSha1 => [0x2A, 0x86, 0x48, 0xCE, 0x38, 0x04, 0x03];
    private static ReadOnlySpan<byte> DsaSha256 => [0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x03, 0x02];
    private static ReadOnlySpan<byte> IsoSha1Rsa => [0x2B, 0x0E, 0x03, 0x02, 0x1D];
    private static ReadOnlySpan<byte> Ed25519 => [0x2B, 0x65, 0x70];
    private static ReadOnlySpan<byte> Sha2Prefix => [0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02];

    /// <summary><paramref name="algorithmIdentifier"/> is the content of the AlgorithmIdentifier SEQUENCE.</summary>
    public static string Name(ReadOnlySpan<byte> algorithmIdentifier)
    {
        var reader = new DerReader(algorithmIdentifier);
        if (!reader.TryRead(0x06, out var oidElement))
            return Unknown;
        var oid = oidElement.Content;

        if (oid.Length == Pkcs1Prefix.Length + 1 && oid.StartsWith(Pkcs1Prefix))
        {
            return oid[^1] switch
            {
                2 => "md2, rsa",
                4 => "md5, rsa",
                5 => "sha1, rsa",
                11 => "sha256, rsa",
                12 => "sha384, rsa",
                13 => "sha512, rsa",
                10 => PssName(ref reader),
                _ => Unknown,
            };
        }
        if (oid.SequenceEqual(IsoSha1Rsa))
            return "sha1, rsa";
        if (oid.SequenceEqual(EcdsaSha1))
            return "ecdsa, sha1";
        if (oid.Length == EcdsaSha2Prefix.Length + 1 && oid.StartsWith(EcdsaSha2Prefix))
        {
            return oid[^1] switch
            {
                2 => "ecdsa, sha256",
                3 => "ecdsa, sha384",
                4 => "ecdsa, sha512",
                _ => Unknown,
            };
        }
        if (oid.SequenceEqual(DsaSha1))
            return "dsa, sha1";
        if (oid.SequenceEqual(DsaSha256))
            return "dsa, sha256";
        if (oid.SequenceEqual(Ed25519))
            return "ed25519";
        return Unknown;
    }

    // RSASSA-PSS is named by the hash in its parameters (RFC 4055 §3.1); anything else is unknown to the reference.
    private static string PssName(ref DerReader reader)
    {
        if (!reader.TryRead(0x30, out var parameters))
            return Unknown;
        var fields = parameters.Children;
        if (!fields.TryRead(0xA0, out var hashField))
            return Unknown;
        var hashAlgorithm = hashField.Children;
        if (!hashAlgorithm.TryRead(0x30, out var hashSequence))
            return Unknown;
        var hashOid = hashSequence.Children;
        if (!hashOid.TryRead(0x06, out var oid) || oid.Content.Length != Sha2Prefix.Length + 1 || !oid.Content.StartsWith(Sha2Prefix))
            return Unknown;
        return oid.Content[^1] switch
        {
            1 => "sha256, rsa-pss",
            2 => "sha384, rsa-pss",
            3 => "sha512, rsa-pss",
            _ => Unknown,
        };
    }
}
