namespace Certstream.Parser.Certificates;

/// <summary>
/// Decodes an X.509 certificate (RFC 5280 §4.1) or a bare TBSCertificate into a <see cref="CertificateModel"/>.
/// Only the skeleton (serial, issuer, validity, subject) must be present; anything odd inside a field gives a
/// best-effort value, because docs/format.md streams every certificate whose leaf can be read at all.
/// </summary>
internal static class CertificateDecoder
{
    private const byte Sequence = 0x30;
    private const byte Set = 0x31;
    private const byte Integer = 0x02;
    private const byte BitString = 0x03;
    private const byte OctetString = 0x04;
    private const byte ObjectIdentifier = 0x06;
    private const byte Boolean = 0x01;

    /// <summary>A whole Certificate: SEQUENCE { tbsCertificate, signatureAlgorithm, signatureValue }.</summary>
    public static bool TryDecode(ReadOnlySpan<byte> der, CertificateModel model)
    {
        model.Reset();
        var reader = new DerReader(der);
        if (!reader.TryRead(Sequence, out var certificate))
            return false;
        var parts = certificate.Children;
        if (!parts.TryRead(Sequence, out var tbs) || !DecodeTbs(tbs, model))
            return false;
        // The outer algorithm is the one that signed; the reference names that one.
        if (parts.TryRead(Sequence, out var signatureAlgorithm))
            model.SignatureAlgorithm = SignatureAlgorithms.Name(signatureAlgorithm.Content);
        return true;
    }

    /// <summary>A TBSCertificate alone, as a precert_entry logs it (RFC 6962 §3.2).</summary>
    public static bool TryDecodeTbs(ReadOnlySpan<byte> tbsDer, CertificateModel model)
    {
        model.Reset();
        var reader = new DerReader(tbsDer);
        return reader.TryRead(Sequence, out var tbs) && DecodeTbs(tbs, model);
    }

    private static bool DecodeTbs(in DerElement tbs, CertificateModel model)
    {
        var fields = tbs.Children;
        if (fields.PeekTag() == 0xA0 && !fields.TrySkip())
            return false;
        if (!fields.TryRead(Integer, out var serial))
            return false;
        model.Serial = new ByteRange(serial.ContentOffset, serial.Content.Length);

        if (!fields.TryRead(Sequence, out var signature))
            return false;
        model.SignatureAlgorithm = SignatureAlgorithms.Name(signature.Content);

        if (!fields.TryRead(Sequence, out var issuer))
            return false;
        ReadName(issuer, model.Issuer);

        if (!fields.TryRead(Sequence, out var validity))
            return false;
        ReadValidity(validity, model);

        if (!fields.TryRead(Sequence, out var subject))
            return false;
        ReadName(subject, model.Subject);

        // subjectPublicKeyInfo, issuerUniqueID [1], subjectUniqueID [2]: not shown. Extensions [3] in any version.
        while (fields.HasData)
        {
            if (!fields.TryRead(out var element))
                break;
            if (element.Tag == 0xA3)
                ReadExtensions(element, model);
        }
        return true;
    }

    private static void ReadValidity(in DerElement validity, CertificateModel model)
    {
        var times = validity.Children;
        if (times.TryRead(out var notBefore) && AsnTime.TryParse(notBefore.Tag, notBefore.Content, out var nb))
            model.NotBefore = nb;
        if (times.TryRead(out var notAfter) && AsnTime.TryParse(notAfter.Tag, notAfter.Content, out var na))
            model.NotAfter = na;
    }

    private static void ReadName(in DerElement name, DistinguishedName target)
    {
        var rdns = name.Children;
        while (rdns.TryRead(out var rdn))
        {
            if (rdn.Tag != Set)
                continue;
            var attributes = rdn.Children;
            while (attributes.TryRead(out var attribute))
            {
                if (attribute.Tag != Sequence)
                    continue;
                var parts = attribute.Children;
                if (!parts.TryRead(ObjectIdentifier, out var type) || !parts.TryRead(out var value))
                    continue;
                if (!TryText(value, out var text))
                    continue; // Go's pkix.Name skips values that are not strings.
                var oid = type.Content;
                if (oid.SequenceEqual(Oids.CommonName))
                    target.CommonName = text;
                else if (oid.SequenceEqual(Oids.Country))
                    target.Country.Add(text);
                else if (oid.SequenceEqual(Oids.Locality))
                    target.Locality.Add(text);
                else if (oid.SequenceEqual(Oids.Province))
                    target.Province.Add(text);
                else if (oid.SequenceEqual(Oids.Organization))
                    target.Organization.Add(text);
                else if (oid.SequenceEqual(Oids.OrganizationalUnit))
                    target.OrganizationalUnit.Add(text);
                else if (oid.SequenceEqual(Oids.EmailAddress))
                    target.EmailAddress.Add(text);
            }
        }
    }

    private static bool TryText(in DerElement value, out TextRef text)
    {
        TextKind kind;
        switch (value.Tag)
        {
            case 0x0C: // UTF8String
            case 0x12: // NumericString
            case 0x13: // PrintableString
            case 0x14: // T61String: bytes as-is, as Go does
            case 0x15: // VideotexString
            case 0x16: // IA5String
            case 0x19: // GraphicString
            case 0x1A: // VisibleString
            case 0x1B: // GeneralString
                kind = TextKind.Raw;
                break;
            case 0x1E:
                kind = TextKind.Bmp;
                break;
            case 0x1C:
                kind = TextKind.Universal;
                break;
            default:
                text = default;
                return false;
        }
        text = new TextRef(value.ContentOffset, value.Content.Length, kind);
        return true;
    }

    private static void ReadExtensions(in DerElement wrapper, CertificateModel model)
    {
        var outer = wrapper.Children;
        if (!outer.TryRead(Sequence, out var list))
            return;
        var extensions = list.Children;
        while (extensions.TryRead(out var extension))
        {
            if (extension.Tag != Sequence)
                continue;
            var parts = extension.Children;
            if (!parts.TryRead(ObjectIdentifier, out var id))
                continue;
            if (parts.PeekTag() == Boolean)
                parts.TrySkip();
            parts.TryRead(OctetString, out var value); // absent or constructed: the extension still counts as present
            ReadExtension(id.Content, value, model);
        }
    }

    private static void ReadExtension(ReadOnlySpan<byte> oid, in DerElement value, CertificateModel model)
    {
        var body = value.Children;
        if (oid.SequenceEqual(Oids.SubjectAltName))
        {
            model.HasSubjectAltName = true;
            ReadSubjectAltName(ref body, model);
        }
        else if (oid.SequenceEqual(Oids.BasicConstraints))
        {
            model.HasBasicConstraints = true;
            if (body.TryRead(Sequence, out var constraints))
            {
                var fields = constraints.Children;
                if (fields.TryRead(Boolean, out var ca))
                    model.IsCA = ca.Content.Length > 0 && ca.Content[0] != 0;
            }
        }
        else if (oid.SequenceEqual(Oids.KeyUsage))
        {
            model.HasKeyUsage = true;
            if (body.TryRead(BitString, out var bits))
                model.KeyUsage = KeyUsageBits(bits.Content);
        }
        else if (oid.SequenceEqual(Oids.AuthorityKeyIdentifier))
        {
            model.HasAuthorityKeyId = true;
            if (body.TryRead(Sequence, out var aki))
            {
                var fields = aki.Children;
                if (fields.TryRead(0x80, out var keyId))
                    model.AuthorityKeyId = new ByteRange(keyId.ContentOffset, keyId.Content.Length);
            }
        }
        else if (oid.SequenceEqual(Oids.SubjectKeyIdentifier))
        {
            model.HasSubjectKeyId = true;
            if (body.TryRead(OctetString, out var keyId))
                model.SubjectKeyId = new ByteRange(keyId.ContentOffset, keyId.Content.Length);
        }
        else if (oid.SequenceEqual(Oids.ExtendedKeyUsage))
        {
            model.HasExtendedKeyUsage = true;
            if (body.TryRead(Sequence, out var usages))
            {
                var items = usages.Children;
                while (items.TryRead(out var usage))
                {
                    if (usage.Tag == ObjectIdentifier)
                        model.ExtendedKeyUsages.Add(new ByteRange(usage.ContentOffset, usage.Content.Length));
                }
            }
        }
        else if (oid.SequenceEqual(Oids.CertificatePolicies))
        {
            model.HasCertificatePolicies = true;
            if (body.TryRead(Sequence, out var policies))
            {
                var items = policies.Children;
                while (items.TryRead(out var policy))
                {
                    if (policy.Tag != Sequence)
                        continue;
                    var fields = policy.Children;
                    if (fields.TryRead(ObjectIdentifier, out var policyId))
                        model.Policies.Add(new ByteRange(policyId.ContentOffset, policyId.Content.Length));
                }
            }
        }
        else if (oid.SequenceEqual(Oids.AuthorityInfoAccess))
        {
            model.HasAuthorityInfoAccess = true;
            if (body.TryRead(Sequence, out var descriptions))
            {
                var items = descriptions.Children;
                while (items.TryRead(out var description))
                {
                    if (description.Tag != Sequence)
                        continue;
                    var fields = description.Children;
                    if (!fields.TryRead(ObjectIdentifier, out var method) || !fields.TryRead(0x86, out var uri))
                        continue;
                    var text = new TextRef(uri.ContentOffset, uri.Content.Length, TextKind.Raw);
                    if (method.Content.SequenceEqual(Oids.Ocsp))
                        model.Ocsp.Add(text);
                    else if (method.Content.SequenceEqual(Oids.CaIssuers))
                        model.CaIssuers.Add(text);
                }
            }
        }
        else if (oid.SequenceEqual(Oids.CtPoison))
        {
            model.HasPoison = true;
        }
        else if (oid.SequenceEqual(Oids.CtSctList))
        {
            model.HasSctList = true;
        }
    }

    private static void ReadSubjectAltName(ref DerReader body, CertificateModel model)
    {
        if (!body.TryRead(Sequence, out var names))
            return;
        var items = names.Children;
        while (items.TryRead(out var name))
        {
            switch (name.Tag)
            {
                case 0x81:
                    model.EmailAddresses.Add(new TextRef(name.ContentOffset, name.Content.Length, TextKind.Raw));
                    break;
                case 0x82:
                    model.DnsNames.Add(new TextRef(name.ContentOffset, name.Content.Length, TextKind.Raw));
                    break;
                case 0x86:
                    model.Uris.Add(new TextRef(name.ContentOffset, name.Content.Length, TextKind.Raw));
                    break;
                case 0x87 when name.Content.Length is 4 or 16:
                    model.IpAddresses.Add(new ByteRange(name.ContentOffset, name.Content.Length));
                    break;
            }
        }
    }

    // RFC 5280 §4.2.1.3: bit 0 (digitalSignature) is the most significant bit of the first octet; Go's x509.KeyUsage uses 1 << bit.
    private static int KeyUsageBits(ReadOnlySpan<byte> bitString)
    {
        if (bitString.IsEmpty)
            return 0;
        var unused = bitString[0] & 7;
        var bitLength = (bitString.Length - 1) * 8 - unused;
        var usage = 0;
        for (var i = 0; i < 9 && i < bitLength; i++)
        {
            if ((bitString[1 + i / 8] & (0x80 >> (i % 8))) != 0)
                usage |= 1 << i;
        }
        return usage;
    }
}
