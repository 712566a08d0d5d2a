using System.Security.Cryptography;
using System.Text;
using Certstream.Contracts;
using Certstream.Contracts.Ct;
using Certstream.Parser.Certificates;

namespace Certstream.Parser.Messages;

/// <summary>
/// Turns one log entry into the three certstream messages (docs/format.md): full (with chain and as_der), lite and
/// domains-only. The full message is written once; lite and domains are cut from it, so each field is encoded once.
/// One instance per worker thread: the results stay valid until the next <see cref="Write"/>.
/// </summary>
public sealed class MessageWriter : IDisposable
{
    private readonly JsonBuffer _full = new();
    private readonly JsonBuffer _lite = new();
    private readonly JsonBuffer _domains = new(4 * 1024);
    private readonly CertificateModel _leaf = new();
    private readonly CertificateModel _chainCertificate = new();
    private readonly JsonBuffer _chainElement = new(8 * 1024);
    private readonly ChainElementCache _chainCache = new();

    // Source fields change only when the log does; keep their encoded form.
    private string? _cachedUrl;
    private string? _cachedName;
    private byte[] _urlJson = [];
    private byte[] _nameJson = [];

    private readonly byte[] _leafHash = new byte[32];

    // Offsets in the full message of the parts that the other two variants leave out or consist of.
    private int _chainStart, _chainEnd, _asDerStart, _asDerEnd, _domainsStart, _domainsEnd;

    /// <summary>The leaf_input problem when <see cref="Write"/> returned <see cref="EntryRejection.MalformedLeafInput"/>.</summary>
    public CtRejection LeafRejection { get; private set; }

    /// <summary>Whether the last entry written was a precertificate (<c>PrecertLogEntry</c>).</summary>
    public bool IsPrecert { get; private set; }

    /// <summary>The <c>source.url</c> of the last entry written.</summary>
    public string NormalizedUrl { get; private set; } = "";

    /// <summary>
    /// SHA-256 of the last entry's leaf: the certificate, or for a precertificate the TBSCertificate in its leaf_input.
    /// The same certificate logged to several logs has the same leaf hash (README "Unique certificates").
    /// </summary>
    public ReadOnlySpan<byte> LeafHash => _leafHash;

    /// <summary>The last entry's <c>data.seen</c>, as written in the full and lite messages.</summary>
    public double Seen { get; private set; }

    /// <summary>The full-stream message (ends with '\n' like the reference's json.Encoder).</summary>
    public ReadOnlyMemory<byte> Full => _full.WrittenMemory;

    /// <summary>The lite-stream message: the full one without <c>chain</c> and <c>leaf_cert.as_der</c>.</summary>
    public ReadOnlyMemory<byte> Lite => _lite.WrittenMemory;

    /// <summary>The domains-only message (no trailing newline, as the reference's json.Marshal).</summary>
    public ReadOnlyMemory<byte> Domains => _domains.WrittenMemory;

    public EntryRejection Write(RawEntry entry)
    {
        _full.Clear();
        _lite.Clear();
        _domains.Clear();
        LeafRejection = MerkleTreeLeaf.TryRead(entry.LeafInput.Span, out var leaf);
        if (LeafRejection != CtRejection.None)
            return EntryRejection.MalformedLeafInput;
        IsPrecert = leaf.IsPrecert;

        var leafDer = leaf.Certificate;
        var decoded = leaf.IsPrecert
            ? CertificateDecoder.TryDecodeTbs(leafDer, _leaf)
            : CertificateDecoder.TryDecode(leafDer, _leaf);
        if (!decoded)
            return EntryRejection.UndecodableCertificate;
        // A certificate's hash is computed with its fingerprints below; a precertificate's TBS is hashed here.
        if (leaf.IsPrecert)
            SHA256.HashData(leafDer, _leafHash);

        // A damaged extra_data costs the chain (or the precert hashes), never the entry.
        ReadOnlySpan<byte> submitted;
        CertificateList chain;
        if (leaf.IsPrecert)
        {
            ExtraData.TryReadPrecertChainEntry(entry.ExtraData.Span, out submitted, out chain);
        }
        else
        {
            ExtraData.TryReadCertificateChain(entry.ExtraData.Span, out chain);
            submitted = leafDer;
        }

        WriteFull(entry, leaf, submitted, chain);
        CutLite();
        CutDomains();
        return EntryRejection.None;
    }

    public void Dispose()
    {
        _full.Dispose();
        _lite.Dispose();
        _domains.Dispose();
        _chainElement.Dispose();
    }

    private void WriteFull(RawEntry entry, in TimestampedEntry leaf, ReadOnlySpan<byte> submitted, CertificateList chain)
    {
        var o = _full;
        RefreshSource(entry);

        o.WriteRaw("{\"data\":{\"cert_index\":"u8);
        o.WriteNumber(entry.Index);
        o.WriteRaw(",\"cert_link\":\""u8);
        if (entry.Type == LogType.Rfc6962)
        {
            o.WriteRaw(_urlJson);
            o.WriteRaw("/ct/v1/get-entries?start="u8);
            o.WriteNumber(entry.Index);
            o.WriteRaw("&end="u8);
            o.WriteNumber(entry.Index);
        }
        o.WriteByte((byte)'"');

        _chainStart = _chainEnd = o.Length;
        var first = true;
        foreach (var certificate in chain)
        {
            if (!_chainCache.TryGet(certificate, out var rendered))
            {
                // An unreadable chain certificate is left out rather than costing the entry (docs/format.md).
                if (!CertificateDecoder.TryDecode(certificate, _chainCertificate))
                    continue;
                _chainElement.Clear();
                WriteCertificate(_chainElement, certificate, _chainCertificate, certificate, forcePoison: false, isLeaf: false);
                rendered = _chainCache.Add(certificate, _chainElement.WrittenSpan);
            }
            o.WriteRaw(first ? ",\"chain\":["u8 : ","u8);
            first = false;
            o.WriteRaw(rendered);
        }
        if (!first)
        {
            o.WriteByte((byte)']');
            _chainEnd = o.Length;
        }

        o.WriteRaw(",\"leaf_cert\":"u8);
        WriteCertificate(o, leaf.Certificate, _leaf, submitted, forcePoison: leaf.IsPrecert, isLeaf: true);

        o.WriteRaw(",\"seen\":"u8);
        Seen = Math.Round(entry.FetchedAt * 1000) / 1000;
        o.WriteNumber(Seen);
        o.WriteRaw(",\"source\":{\"name\":\""u8);
        o.WriteRaw(_nameJson);
        o.WriteRaw("\",\"url\":\""u8);
        o.WriteRaw(_urlJson);
        o.WriteRaw("\",\"timestamp\":"u8);
        o.WriteNumber(leaf.Timestamp / 1000.0);
        o.WriteRaw(entry.Type == LogType.Tiled ? ",\"type\":\"tiled\"}"u8 : ",\"type\":\"rfc6962\"}"u8);
        o.WriteRaw(leaf.IsPrecert ? ",\"update_type\":\"PrecertLogEntry\"}"u8 : ",\"update_type\":\"X509LogEntry\"}"u8);
        o.WriteRaw(",\"message_type\":\"certificate_update\"}\n"u8);
    }

    /// <param name="der">The bytes the model's ranges point into (a certificate, or a precert's TBS).</param>
    /// <param name="hashed">What fingerprints and as_der show: the certificate, or the submitted precertificate.</param>
    private void WriteCertificate(JsonBuffer o, ReadOnlySpan<byte> der, CertificateModel m, ReadOnlySpan<byte> hashed, bool forcePoison, bool isLeaf)
    {
        o.WriteRaw("{\"all_domains\":"u8);
        if (isLeaf)
            _domainsStart = o.Length;
        WriteAllDomains(o, der, m);
        if (isLeaf)
            _domainsEnd = o.Length;

        if (isLeaf)
            _asDerStart = o.Length;
        if (!hashed.IsEmpty)
        {
            o.WriteRaw(",\"as_der\":\""u8);
            o.WriteBase64(hashed);
            o.WriteByte((byte)'"');
        }
        if (isLeaf)
            _asDerEnd = o.Length;

        WriteExtensions(o, der, m, forcePoison);

        Span<byte> sha1 = stackalloc byte[20];
        Span<byte> sha256 = stackalloc byte[32];
#pragma warning disable CA5350 // SHA-1 here is a fingerprint format clients expect, not a security decision
        SHA1.HashData(hashed, sha1);
#pragma warning restore CA5350
        SHA256.HashData(hashed, sha256);
        if (isLeaf && !IsPrecert)
            sha256.CopyTo(_leafHash);
        o.WriteRaw(",\"fingerprint\":\""u8);
        FieldFormatter.WriteColonHexUpper(o, sha1);
        o.WriteRaw("\",\"sha1\":\""u8);
        FieldFormatter.WriteColonHexUpper(o, sha1);
        o.WriteRaw("\",\"sha256\":\""u8);
        FieldFormatter.WriteColonHexUpper(o, sha256);
        o.WriteRaw("\",\"not_after\":"u8);
        o.WriteNumber(m.NotAfter);
        o.WriteRaw(",\"not_before\":"u8);
        o.WriteNumber(m.NotBefore);
        o.WriteRaw(",\"serial_number\":\""u8);
        FieldFormatter.WriteSerial(o, m.Serial.Of(der));
        o.WriteRaw("\",\"signature_algorithm\":\""u8);
        Span<byte> algorithm = stackalloc byte[32];
        o.WriteRaw(algorithm[..Encoding.ASCII.GetBytes(m.SignatureAlgorithm, algorithm)]);
        o.WriteRaw("\",\"subject\":"u8);
        WriteName(o, der, m.Subject);
        o.WriteRaw(",\"issuer\":"u8);
        WriteName(o, der, m.Issuer);
        o.WriteRaw(m.IsCA ? ",\"is_ca\":true}"u8 : ",\"is_ca\":false}"u8);
    }

    // docs/format.md: SAN dNSNames in order without exact duplicates, then the CN if non-empty, new, and not a CA.
    private static void WriteAllDomains(JsonBuffer o, ReadOnlySpan<byte> der, CertificateModel m)
    {
        o.WriteByte((byte)'[');
        var written = 0;
        var names = m.DnsNames;
        for (var i = 0; i < names.Count; i++)
        {
            if (IndexOfText(der, names, names[i], i) >= 0)
                continue;
            if (written++ > 0)
                o.WriteByte((byte)',');
            WriteQuoted(o, der, names[i]);
        }
        if (m.Subject.CommonName is { } cn && !FieldFormatter.IsEmpty(cn) && !m.IsCA && IndexOfText(der, names, cn, names.Count) < 0)
        {
            if (written > 0)
                o.WriteByte((byte)',');
            WriteQuoted(o, der, cn);
        }
        o.WriteByte((byte)']');
    }

    private static int IndexOfText(ReadOnlySpan<byte> der, List<TextRef> names, TextRef text, int before)
    {
        for (var j = 0; j < before; j++)
        {
            if (FieldFormatter.SameText(der, names[j], text))
                return j;
        }
        return -1;
    }

    private static void WriteQuoted(JsonBuffer o, ReadOnlySpan<byte> der, TextRef text)
    {
        o.WriteByte((byte)'"');
        FieldFormatter.WriteText(o, der, text);
        o.WriteByte((byte)'"');
    }

    private static void WriteExtensions(JsonBuffer o, ReadOnlySpan<byte> der, CertificateModel m, bool forcePoison)
    {
        o.WriteRaw(",\"extensions\":{"u8);
        var count = 0;
        if (m.HasAuthorityInfoAccess)
        {
            Key(o, "authorityInfoAccess"u8, ref count);
            var items = 0;
            foreach (var uri in m.CaIssuers)
                Item(o, "URI:"u8, der, uri, ref items);
            foreach (var uri in m.Ocsp)
                Item(o, "URI:"u8, der, uri, ref items);
            o.WriteByte((byte)'"');
        }
        if (m.HasAuthorityKeyId)
        {
            Key(o, "authorityKeyIdentifier"u8, ref count);
            o.WriteRaw("keyid:"u8);
            FieldFormatter.WriteColonHexLower(o, m.AuthorityKeyId.Of(der));
            o.WriteByte((byte)'"');
        }
        if (m.HasBasicConstraints)
        {
            Key(o, "basicConstraints"u8, ref count);
            o.WriteRaw(m.IsCA ? "CA:TRUE\""u8 : "CA:FALSE\""u8);
        }
        if (m.HasCertificatePolicies)
        {
            Key(o, "certificatePolicies"u8, ref count);
            foreach (var policy in m.Policies)
            {
                o.WriteRaw("Policy: "u8);
                FieldFormatter.WriteOid(o, policy.Of(der));
                o.WriteRaw("\\n"u8);
            }
            o.WriteByte((byte)'"');
        }
        if (m.HasExtendedKeyUsage)
        {
            Key(o, "extendedKeyUsage"u8, ref count);
            Span<byte> dotted = stackalloc byte[160];
            var items = 0;
            foreach (var usage in m.ExtendedKeyUsages)
            {
                var oid = usage.Of(der);
                if (oid.Length > 32)
                    continue; // no real EKU OID is this long; keeps the dotted form within the stack buffer
                var n = FieldFormatter.FormatOid(oid, dotted);
                if (items++ > 0)
                    o.WriteRaw(", "u8);
                o.WriteEscaped(ExtendedKeyUsageNames.Lookup(dotted[..n]));
            }
            o.WriteByte((byte)'"');
        }
        if (m.HasKeyUsage)
        {
            Key(o, "keyUsage"u8, ref count);
            WriteKeyUsage(o, m.KeyUsage);
            o.WriteByte((byte)'"');
        }
        if (m.HasSubjectAltName)
        {
            Key(o, "subjectAltName"u8, ref count);
            var items = 0;
            foreach (var name in m.DnsNames)
                Item(o, "DNS:"u8, der, name, ref items);
            foreach (var email in m.EmailAddresses)
                Item(o, "email:"u8, der, email, ref items);
            foreach (var ip in m.IpAddresses)
            {
                if (items++ > 0)
                    o.WriteRaw(", "u8);
                o.WriteRaw("IP Address:"u8);
                FieldFormatter.WriteIp(o, ip.Of(der));
            }
            o.WriteByte((byte)'"');
        }
        if (m.HasSubjectKeyId)
        {
            Key(o, "subjectKeyIdentifier"u8, ref count);
            o.WriteRaw("keyid:"u8);
            FieldFormatter.WriteColonHexLower(o, m.SubjectKeyId.Of(der));
            o.WriteByte((byte)'"');
        }
        if (forcePoison || m.HasPoison)
        {
            if (count > 0)
                o.WriteByte((byte)',');
            o.WriteRaw("\"ctlPoisonByte\":true"u8);
        }
        o.WriteByte((byte)'}');
    }

    private static void Key(JsonBuffer o, ReadOnlySpan<byte> name, ref int count)
    {
        if (count++ > 0)
            o.WriteByte((byte)',');
        o.WriteByte((byte)'"');
        o.WriteRaw(name);
        o.WriteRaw("\":\""u8);
    }

    private static void Item(JsonBuffer o, ReadOnlySpan<byte> prefix, ReadOnlySpan<byte> der, TextRef text, ref int items)
    {
        if (items++ > 0)
            o.WriteRaw(", "u8);
        o.WriteRaw(prefix);
        FieldFormatter.WriteText(o, der, text);
    }

    private static void WriteKeyUsage(JsonBuffer o, int usage)
    {
        var items = 0;
        for (var bit = 0; bit < 9; bit++)
        {
            if ((usage & (1 << bit)) == 0)
                continue;
            if (items++ > 0)
                o.WriteRaw(", "u8);
            o.WriteRaw(bit switch
            {
                0 => "Digital Signature"u8,
                1 => "Content Commitment"u8,
                2 => "Key Encipherment"u8,
                3 => "Data Encipherment"u8,
                4 => "Key Agreement"u8,
                5 => "Certificate Signing"u8,
                6 => "CRL Signing"u8,
                7 => "Encipher Only"u8,
                _ => "Decipher Only"u8,
            });
        }
    }

    // docs/format.md: C, CN (null when absent), L, O, OU, ST (stateOrProvinceName), aggregated, email_address.
    private static void WriteName(JsonBuffer o, ReadOnlySpan<byte> der, DistinguishedName name)
    {
        o.WriteRaw("{\"C\":"u8);
        WriteJoined(o, der, name.Country);
        o.WriteRaw(",\"CN\":"u8);
        if (name.CommonName is { } cn)
            WriteQuoted(o, der, cn);
        else
            o.WriteRaw("null"u8);
        o.WriteRaw(",\"L\":"u8);
        WriteJoined(o, der, name.Locality);
        o.WriteRaw(",\"O\":"u8);
        WriteJoined(o, der, name.Organization);
        o.WriteRaw(",\"OU\":"u8);
        WriteJoined(o, der, name.OrganizationalUnit);
        o.WriteRaw(",\"ST\":"u8);
        WriteJoined(o, der, name.Province);
        o.WriteRaw(",\"aggregated\":\""u8);
        AppendAggregated(o, der, "/C="u8, name.Country);
        if (name.CommonName is { } common)
        {
            o.WriteRaw("/CN="u8);
            FieldFormatter.WriteText(o, der, common);
        }
        AppendAggregated(o, der, "/L="u8, name.Locality);
        AppendAggregated(o, der, "/O="u8, name.Organization);
        AppendAggregated(o, der, "/OU="u8, name.OrganizationalUnit);
        AppendAggregated(o, der, "/ST="u8, name.Province);
        o.WriteRaw("\",\"email_address\":"u8);
        WriteJoined(o, der, name.EmailAddress);
        o.WriteByte((byte)'}');
    }

    private static void WriteJoined(JsonBuffer o, ReadOnlySpan<byte> der, List<TextRef> values)
    {
        if (values.Count == 0)
        {
            o.WriteRaw("null"u8);
            return;
        }
        o.WriteByte((byte)'"');
        WriteJoinedText(o, der, values);
        o.WriteByte((byte)'"');
    }

    // Multi-valued attributes are joined with "," (no space), as the reference does.
    private static void WriteJoinedText(JsonBuffer o, ReadOnlySpan<byte> der, List<TextRef> values)
    {
        for (var i = 0; i < values.Count; i++)
        {
            if (i > 0)
                o.WriteByte((byte)',');
            FieldFormatter.WriteText(o, der, values[i]);
        }
    }

    private static void AppendAggregated(JsonBuffer o, ReadOnlySpan<byte> der, ReadOnlySpan<byte> label, List<TextRef> values)
    {
        if (values.Count == 0)
            return;
        o.WriteRaw(label);
        WriteJoinedText(o, der, values);
    }

    private void CutLite()
    {
        var full = _full.WrittenSpan;
        _lite.WriteRaw(full[.._chainStart]);
        _lite.WriteRaw(full[_chainEnd.._asDerStart]);
        _lite.WriteRaw(full[_asDerEnd..]);
    }

    private void CutDomains()
    {
        _domains.WriteRaw("{\"data\":"u8);
        _domains.WriteRaw(_full.WrittenSpan[_domainsStart.._domainsEnd]);
        _domains.WriteRaw(",\"message_type\":\"dns_entries\"}"u8);
    }

    // Consecutive entries mostly come from the same log: its url and name are escaped once, not per entry.
    private void RefreshSource(RawEntry entry)
    {
        if (!string.Equals(entry.Url, _cachedUrl, StringComparison.Ordinal))
        {
            _cachedUrl = entry.Url;
            NormalizedUrl = SourceUrl.Normalize(entry.Url ?? "");
            _urlJson = EscapedUtf8(NormalizedUrl);
        }
        if (!string.Equals(entry.Name, _cachedName, StringComparison.Ordinal))
        {
            _cachedName = entry.Name;
            _nameJson = EscapedUtf8(entry.Name ?? "");
        }
    }

    private static byte[] EscapedUtf8(string text)
    {
        using var buffer = new JsonBuffer(256);
        buffer.WriteEscaped(Encoding.UTF8.GetBytes(text));
        return buffer.WrittenSpan.ToArray();
    }
}
