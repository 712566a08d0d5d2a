using System.Collections.Immutable;
using System.Formats.Asn1;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Certstream.CtLogSim.Issuance;

/// <summary>
/// Issues the certificate for (log, index): every choice comes from a generator seeded by
/// (seed, log, index), so entries can be made in any order or in parallel and still match the seed.
/// The CAs are made with CertificateRequest; leaves are DER-encoded here directly from precomputed
/// parts, because CertificateRequest costs ~10× the ECDSA signature and the simulator must issue
/// tens of thousands of entries a second. Not thread-safe (it owns signing keys); make one per worker.
/// </summary>
internal sealed class CertificateIssuer : IDisposable
{
    public const string PoisonOid = "1.3.6.1.4.1.11129.2.4.3";

    private static readonly ImmutableArray<string> Words =
    [
        "alpha", "harbor", "maple", "quartz", "nimbus", "copper", "lantern", "meadow", "falcon", "orchid",
        "summit", "delta", "ember", "juniper", "pixel", "cobalt", "willow", "granite", "saffron", "tundra",
        "vertex", "beacon", "cedar", "mosaic", "prairie", "rocket", "sierra", "tango", "umbra", "zephyr",
    ];
    private static readonly ImmutableArray<string> Tlds = ["com", "net", "org", "io", "de", "fr", "co.uk", "com.au", "nl", "dev", "app", "jp", "br", "xyz"];
    private static readonly ImmutableArray<string> Subdomains = ["www", "mail", "api", "cdn", "shop", "blog", "dev", "vpn", "m", "static", "auth", "app"];

    // Already in A-label form, as a CA writes them: bücher, münchen, 例え, пример, 中国.
    private static readonly ImmutableArray<string> IdnLabels = ["xn--bcher-kva", "xn--mnchen-3ya", "xn--r8jz45g", "xn--e1afmkfd", "xn--fiqs8s"];
    private static readonly ImmutableArray<string> Organizations = ["Example Holdings Inc.", "Müller & Söhne GmbH", "Société Générale d'Exemple", "株式会社サンプル", "Acme Widgets LLC"];
    private static readonly ImmutableArray<string> Localities = ["Springfield", "Berlin", "Paris", "Tokyo", "São Paulo", "Zürich"];
    private static readonly ImmutableArray<string> Countries = ["US", "DE", "FR", "JP", "BR", "CH"];
    private static ReadOnlySpan<int> LifetimesDays => [6, 47, 90, 90, 90, 90, 198, 397];

    // ecdsa-with-SHA256 AlgorithmIdentifier (RFC 5758 §3.2: parameters absent).
    private static ReadOnlySpan<byte> EcdsaWithSha256 => [0x30, 0x0A, 0x06, 0x08, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x04, 0x03, 0x02];

    private readonly ulong _seed;
    private readonly IReadOnlyList<CertificateAuthority> _authorities;
    private readonly LeafKeyPool _keys;
    private readonly DateTimeOffset _epoch;
    private readonly double _precertRatio;
    private readonly ECDsa[] _signingKeys;
    private readonly byte[][] _issuerExtensions;
    private readonly byte[][] _subjectKeyIds;
    private readonly byte[] _basicConstraints = Encode(new X509BasicConstraintsExtension(false, false, 0, true));
    private readonly byte[] _keyUsageEc = Encode(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
    private readonly byte[] _keyUsageRsa = Encode(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
    private readonly byte[] _ekuServer = Encode(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
    private readonly byte[] _ekuServerClient = Encode(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1"), new Oid("1.3.6.1.5.5.7.3.2")], false));
    private readonly byte[] _poison = Encode(new X509Extension(PoisonOid, [0x05, 0x00], true));
    private readonly AsnWriter _writer = new(AsnEncodingRules.DER);

    public CertificateIssuer(ulong seed, IReadOnlyList<CertificateAuthority> authorities, LeafKeyPool keys, DateTimeOffset epoch, double precertRatio)
    {
        _seed = seed;
        _authorities = authorities;
        _keys = keys;
        _epoch = epoch;
        _precertRatio = precertRatio;
        _signingKeys = [.. authorities.Select(a => ECDsa.Create(a.IntermediateKey))];
        _issuerExtensions = [.. authorities.Select(a =>
            Encode(new X509Extension("2.5.29.35", a.AuthorityKeyIdentifier, false))
                .Concat(Encode(new X509AuthorityInformationAccessExtension([a.OcspUrl], [a.CaIssuersUrl])))
                .Concat(Encode(CertificateRevocationListBuilder.BuildCrlDistributionPointExtension([a.CrlUrl])))
                .ToArray())];
        _subjectKeyIds = [.. keys.Keys.Select(k => Encode(new X509SubjectKeyIdentifierExtension(PublicKey.CreateFromSubjectPublicKeyInfo(k.SubjectPublicKeyInfo, out _), false)))];
    }

    public IssuedCertificate Issue(int logOrdinal, long index)
    {
        var rng = new SeededRandom(SeededRandom.Mix(SeededRandom.Mix(_seed, (ulong)logOrdinal + 1), (ulong)index));
        var isPrecert = rng.Chance(_precertRatio);
        var caIndex = rng.Next(_authorities.Count);
        var ca = _authorities[caIndex];
        var keyIndex = rng.Next(_keys.Keys.Count);
        var key = _keys.Keys[keyIndex];

        var names = MakeNames(rng, out var subjectKind);
        var cn = subjectKind == SubjectKind.Empty ? null : names.Dns[0];
        var policies = subjectKind switch
        {
            SubjectKind.Ev => new[] { "2.23.140.1.1", $"1.3.6.1.4.1.55555.1.{caIndex + 1}" },
            SubjectKind.Ov => ["2.23.140.1.2.2"],
            _ => ["2.23.140.1.2.1"],
        };
        var serverAndClient = rng.Chance(0.5);
        var notBefore = _epoch.AddSeconds(rng.Next(60 * 86400) - 3600);
        var notAfter = notBefore.AddDays(rng.Pick(LifetimesDays)).AddSeconds(-1);
        var serial = new byte[rng.Chance(0.8) ? 16 : rng.Next(8, 20)];
        rng.Fill(serial);
        serial[0] = (byte)((serial[0] & 0x7F) | 0x01); // positive, minimal encoding

        byte[] Tbs(bool poison)
        {
            var w = _writer;
            w.Reset();
            using (w.PushSequence())
            {
                using (w.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 0))) w.WriteInteger(2); // v3
                w.WriteIntegerUnsigned(serial);
                w.WriteEncodedValue(EcdsaWithSha256);
                w.WriteEncodedValue(ca.IntermediateSubject.RawData);
                using (w.PushSequence())
                {
                    w.WriteUtcTime(notBefore);
                    w.WriteUtcTime(notAfter);
                }
                WriteSubject(w, rng, subjectKind, cn);
                w.WriteEncodedValue(key.SubjectPublicKeyInfo);
                using (w.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 3)))
                using (w.PushSequence())
                {
                    w.WriteEncodedValue(key.IsRsa ? _keyUsageRsa : _keyUsageEc);
                    w.WriteEncodedValue(serverAndClient ? _ekuServerClient : _ekuServer);
                    w.WriteEncodedValue(_basicConstraints);
                    w.WriteEncodedValue(_subjectKeyIds[keyIndex]);
                    WriteEncodedValues(w, _issuerExtensions[caIndex]);
                    names.Write(w, critical: cn is null); // RFC 5280 §4.2.1.6: critical when the subject is empty
                    WritePolicies(w, policies);
                    if (poison) w.WriteEncodedValue(_poison);
                }
            }
            return w.Encode();
        }

        // The subject is written from the same rng state for both TBS variants, so draw a snapshot.
        var subjectSeed = rng.NextUInt64();
        rng = new SeededRandom(subjectSeed);
        var signedTbs = Tbs(isPrecert);
        byte[]? loggedTbs = null;
        if (isPrecert)
        {
            rng = new SeededRandom(subjectSeed);
            loggedTbs = Tbs(poison: false);
        }
        var signature = _signingKeys[caIndex].SignData(signedTbs, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        var w = _writer;
        w.Reset();
        using (w.PushSequence())
        {
            w.WriteEncodedValue(signedTbs);
            w.WriteEncodedValue(EcdsaWithSha256);
            w.WriteBitString(signature);
        }
        var der = w.Encode();

        var facts = new CertificateFacts(
            Convert.ToHexString(serial), Convert.ToHexString(SHA256.HashData(der)), cn, ca.IntermediateCommonName,
            names.Dns, names.Ips, names.Emails, names.Uris, policies,
            notBefore, notAfter, key.Algorithm);
        return new IssuedCertificate(isPrecert, der, loggedTbs, ca, facts);
    }

    private enum SubjectKind { Empty, Dv, Ov, Ev }

    private static SanSet MakeNames(SeededRandom rng, out SubjectKind kind)
    {
        var roll = rng.NextDouble();
        kind = roll < 0.15 ? SubjectKind.Empty : roll < 0.65 ? SubjectKind.Dv : roll < 0.9 ? SubjectKind.Ov : SubjectKind.Ev;
        var label = rng.Chance(0.05) ? rng.Pick(IdnLabels.AsSpan()) + rng.Next(100) : rng.Pick(Words.AsSpan()) + "-" + rng.Pick(Words.AsSpan()) + rng.Next(100000);
        var domain = label + "." + rng.Pick(Tlds.AsSpan());
        var set = new SanSet();
        var shape = rng.NextDouble();
        if (shape < 0.25) set.Dns.Add("*." + domain);
        set.Dns.Add(domain);
        if (shape is >= 0.25 and < 0.7) set.Dns.Add("www." + domain);
        if (shape >= 0.93)
        {
            // Multi-domain certificates: tens of names, like CDN and hosting certificates.
            var count = rng.Next(5, 40);
            for (var i = 0; i < count; i++) set.Dns.Add(rng.Pick(Subdomains.AsSpan()) + i + "." + rng.Pick(Words.AsSpan()) + rng.Next(1000) + "." + rng.Pick(Tlds.AsSpan()));
        }
        if (rng.Chance(0.04))
        {
            set.Ips.Add(IPAddress.Parse($"{rng.Next(1, 224)}.{rng.Next(256)}.{rng.Next(256)}.{rng.Next(1, 255)}").ToString());
            if (rng.Chance(0.5)) set.Ips.Add(IPAddress.Parse($"2001:db8:{rng.Next(0x10000):x}::{rng.Next(1, 0x10000):x}").ToString());
        }
        if (rng.Chance(0.03)) set.Emails.Add("hostmaster@" + domain);
        if (rng.Chance(0.03)) set.Uris.Add("https://" + domain + "/id/" + rng.Next(100000));
        return set;
    }

    private static void WriteSubject(AsnWriter w, SeededRandom rng, SubjectKind kind, string? cn)
    {
        using (w.PushSequence())
        {
            if (kind is SubjectKind.Ov or SubjectKind.Ev)
            {
                var place = rng.Next(Countries.Length);
                if (kind == SubjectKind.Ev)
                {
                    WriteAttribute(w, "2.5.4.15", "Private Organization", UniversalTagNumber.UTF8String);
                    WriteAttribute(w, "1.3.6.1.4.1.311.60.2.1.3", Countries[place], UniversalTagNumber.PrintableString);
                    WriteAttribute(w, "2.5.4.5", rng.Next(100000, 9999999).ToString(CultureInfo.InvariantCulture), UniversalTagNumber.PrintableString);
                }
                WriteAttribute(w, "2.5.4.6", Countries[place], UniversalTagNumber.PrintableString);
                WriteAttribute(w, "2.5.4.7", Localities[place], UniversalTagNumber.UTF8String);
                WriteAttribute(w, "2.5.4.10", rng.Pick(Organizations.AsSpan()), UniversalTagNumber.UTF8String);
            }
            if (cn is not null) WriteAttribute(w, "2.5.4.3", cn, UniversalTagNumber.UTF8String);
        }
    }

    private static void WriteAttribute(AsnWriter w, string oid, string value, UniversalTagNumber type)
    {
        using (w.PushSetOf())
        using (w.PushSequence())
        {
            w.WriteObjectIdentifier(oid);
            w.WriteCharacterString(type, value);
        }
    }

    private static void WritePolicies(AsnWriter w, string[] policies)
    {
        using (w.PushSequence())
        {
            w.WriteObjectIdentifier("2.5.29.32");
            using (w.PushOctetString())
            using (w.PushSequence())
            {
                foreach (var oid in policies)
                {
                    using (w.PushSequence()) w.WriteObjectIdentifier(oid);
                }
            }
        }
    }

    private static void WriteEncodedValues(AsnWriter w, byte[] concatenated)
    {
        ReadOnlySpan<byte> rest = concatenated;
        while (!rest.IsEmpty)
        {
            AsnDecoder.ReadEncodedValue(rest, AsnEncodingRules.DER, out _, out _, out var consumed);
            w.WriteEncodedValue(rest[..consumed]);
            rest = rest[consumed..];
        }
    }

    /// <summary>An Extension SEQUENCE (RFC 5280 §4.1): extnID, critical (omitted when false), extnValue.</summary>
    private static byte[] Encode(X509Extension extension)
    {
        var w = new AsnWriter(AsnEncodingRules.DER);
        using (w.PushSequence())
        {
            w.WriteObjectIdentifier(extension.Oid!.Value!);
            if (extension.Critical) w.WriteBoolean(true);
            w.WriteOctetString(extension.RawData);
        }
        return w.Encode();
    }

    public void Dispose()
    {
        foreach (var key in _signingKeys) key.Dispose();
    }

    private sealed class SanSet
    {
        private static readonly Asn1Tag Rfc822Name = new(TagClass.ContextSpecific, 1);
        private static readonly Asn1Tag DnsName = new(TagClass.ContextSpecific, 2);
        private static readonly Asn1Tag UniformResourceIdentifier = new(TagClass.ContextSpecific, 6);
        private static readonly Asn1Tag IpAddress = new(TagClass.ContextSpecific, 7);

        public List<string> Dns { get; } = [];
        public List<string> Ips { get; } = [];
        public List<string> Emails { get; } = [];
        public List<string> Uris { get; } = [];

        public void Write(AsnWriter w, bool critical)
        {
            using (w.PushSequence())
            {
                w.WriteObjectIdentifier("2.5.29.17");
                if (critical) w.WriteBoolean(true);
                using (w.PushOctetString())
                using (w.PushSequence())
                {
                    foreach (var d in Dns) w.WriteCharacterString(UniversalTagNumber.IA5String, d, DnsName);
                    foreach (var ip in Ips) w.WriteOctetString(IPAddress.Parse(ip).GetAddressBytes(), IpAddress);
                    foreach (var e in Emails) w.WriteCharacterString(UniversalTagNumber.IA5String, e, Rfc822Name);
                    foreach (var u in Uris) w.WriteCharacterString(UniversalTagNumber.IA5String, u, UniformResourceIdentifier);
                }
            }
        }
    }
}
