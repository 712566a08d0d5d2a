namespace Certstream.Parser.Messages;

/// <summary>OpenSSL's long names for extended key usages (docs/format.md); an OID OpenSSL does not name is shown dotted, as it does.</summary>
internal static class ExtendedKeyUsageNames
{
    public static ReadOnlySpan<byte> Lookup(ReadOnlySpan<byte> dotted) => dotted switch
    {
        _ when dotted.SequenceEqual("1.3.6.1.5.5.7.3.1"u8) => "TLS Web Server Authentication"u8,
        _ when dotted.SequenceEqual("1.3.6.1.5.5.7.3.2"u8) => "TLS Web Client Authentication"u8,
        _ when dotted.SequenceEqual("1.3.6.1.5.5.7.3.3"u8) => "Code Signing"u8,
        _ when dotted.SequenceEqual("1.3.6.1.5.5.7.3.4"u8) => "E-mail Protection"u8,
        _ when dotted.SequenceEqual("1.3.6.1.5.5.7.3.5"u8) => "IPSec End System"u8,
        _ when dotted.SequenceEqual("1.3.6.1.5.5.7.3.6"u8) => "IPSec Tunnel"u8,
        _ when dotted.SequenceEqual("1.3.6.1.5.5.7.3.7"u8) => "IPSec User"u8,
        _ when dotted.SequenceEqual("1.3.6.1.5.5.7.3.8"u8) => "Time Stamping"u8,
        _ when dotted.SequenceEqual("1.3.6.1.5.5.7.3.9"u8) => "OCSP Signing"u8,
        _ when dotted.SequenceEqual("1.3.6.1.5.5.7.3.10"u8) => "dvcs"u8,
        _ when dotted.SequenceEqual("1.3.6.1.5.5.7.3.17"u8) => "ipsec Internet Key Exchange"u8,
        _ when dotted.SequenceEqual("2.5.29.37.0"u8) => "Any Extended Key Usage"u8,
        _ when dotted.SequenceEqual("1.3.6.1.4.1.311.10.3.3"u8) => "Microsoft Server Gated Crypto"u8,
        _ when dotted.SequenceEqual("2.16.840.1.113730.4.1"u8) => "Netscape Server Gated Crypto"u8,
        _ when dotted.SequenceEqual("1.3.6.1.4.1.311.10.3.4"u8) => "Microsoft Encrypted File System"u8,
        _ when dotted.SequenceEqual("1.3.6.1.4.1.311.20.2.2"u8) => "Microsoft Smartcard Login"u8,
        _ when dotted.SequenceEqual("1.3.6.1.4.1.311.2.1.21"u8) => "Microsoft Individual Code Signing"u8,
        _ when dotted.SequenceEqual("1.3.6.1.4.1.311.2.1.22"u8) => "Microsoft Commercial Code Signing"u8,
        _ when dotted.SequenceEqual("1.3.6.1.4.1.311.10.3.1"u8) => "Microsoft Trust List Signing"u8,
        _ => dotted,
    };
}
