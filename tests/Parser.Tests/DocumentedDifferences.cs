using System.Text.Json.Nodes;

namespace Certstream.Parser.Tests;

/// <summary>
/// The one place where the peer's (certstream-server-go v1.9.0) output is corrected into what docs/format.md and the
/// golden README say ours must be. Every corrected value comes from an independent oracle (.NET's X500 reader,
/// openssl, hashes of the fixture bytes), never from our own output.
/// </summary>
internal static class DocumentedDifferences
{
    private static readonly string[] ExtensionOrder =
    [
        "authorityInfoAccess", "authorityKeyIdentifier", "basicConstraints", "certificatePolicies",
        "ctlSignedCertificateTimestamp", "extendedKeyUsage", "keyUsage", "subjectAltName", "subjectKeyIdentifier", "ctlPoisonByte",
    ];

    private static readonly string[] LeafOrder =
    [
        "all_domains", "as_der", "extensions", "fingerprint", "sha1", "sha256", "not_after", "not_before",
        "serial_number", "signature_algorithm", "subject", "issuer", "is_ca",
    ];

    /// <param name="message">A peer full or lite message.</param>
    /// <param name="ours">Our message for the same entry (only its <c>seen</c> is taken: that value is the parse time).</param>
    /// <param name="leafDer">The certificate the leaf's names and EKU are read from (a precert's pre_certificate).</param>
    /// <param name="chainDer">The chain certificates, issuer first.</param>
    /// <param name="tiledPreCertificate">For tiled precerts: the tile's pre_certificate (our hashes and as_der come from it).</param>
    public static void ApplyToPeer(JsonObject message, JsonObject ours, CertificateOracle oracle, byte[] leafDer,
        IReadOnlyList<byte[]> chainDer, byte[]? tiledPreCertificate, bool full)
    {
        var data = message["data"]!.AsObject();
        var ourData = ours["data"]!.AsObject();

        // `seen` is the time of parsing: only its type is compared.
        Assert.Equal(System.Text.Json.JsonValueKind.Number, data["seen"]!.GetValueKind());
        Assert.Equal(System.Text.Json.JsonValueKind.Number, ourData["seen"]!.GetValueKind());
        data["seen"] = ourData["seen"]!.DeepClone();

        var leaf = data["leaf_cert"]!.AsObject();
        Certificate(leaf, oracle, leafDer);
        if (data["chain"] is JsonArray chain)
        {
            for (var i = 0; i < chain.Count; i++)
                Certificate(chain[i]!.AsObject(), oracle, chainDer[i]);
        }

        // Tiled precerts: the peer hashes empty input and omits as_der; ours come from the tile's pre_certificate.
        if (tiledPreCertificate is not null)
        {
            leaf["fingerprint"] = CertificateOracle.Sha1Colon(tiledPreCertificate);
            leaf["sha1"] = CertificateOracle.Sha1Colon(tiledPreCertificate);
            leaf["sha256"] = CertificateOracle.Sha256Colon(tiledPreCertificate);
            if (full)
                leaf["as_der"] = Convert.ToBase64String(tiledPreCertificate);
            Reorder(leaf, LeafOrder);
        }
    }

    /// <summary>Domains-only: the peer keeps duplicate SAN names; docs/format.md lists each once.</summary>
    public static void ApplyToPeerDomains(JsonObject message) => Deduplicate(message["data"]!.AsArray());

    private static void Certificate(JsonObject certificate, CertificateOracle oracle, byte[] der)
    {
        var (subject, issuer) = CertificateOracle.Names(der);
        Name(certificate["subject"]!.AsObject(), subject);
        Name(certificate["issuer"]!.AsObject(), issuer);

        // extendedKeyUsage is never emitted by the peer; ours is OpenSSL's text.
        var extensions = certificate["extensions"]!.AsObject();
        if (oracle.ExtendedKeyUsage(der) is { } eku)
        {
            extensions["extendedKeyUsage"] = eku;
            Reorder(extensions, ExtensionOrder);
        }

        Deduplicate(certificate["all_domains"]!.AsArray());
    }

    // ST is stateOrProvinceName (the peer used street), email_address is filled, CN is null when absent,
    // and aggregated joins the non-null of C, CN, L, O, OU, ST.
    private static void Name(JsonObject name, CertificateOracle.NameFacts facts)
    {
        name["ST"] = facts.Province;
        name["email_address"] = facts.Email;
        if (!facts.HasCommonName)
        {
            Assert.Equal("", (string?)name["CN"]);
            name["CN"] = null;
        }
        var aggregated = "";
        foreach (var key in new[] { "C", "CN", "L", "O", "OU", "ST" })
        {
            if (name[key] is JsonValue value)
                aggregated += $"/{key}={(string)value!}";
        }
        name["aggregated"] = aggregated;
    }

    private static void Deduplicate(JsonArray names)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < names.Count;)
        {
            if (seen.Add((string)names[i]!))
                i++;
            else
                names.RemoveAt(i);
        }
    }

    private static void Reorder(JsonObject obj, string[] order)
    {
        var items = obj.ToList();
        obj.Clear();
        foreach (var key in order)
        {
            var item = items.FirstOrDefault(p => p.Key == key);
            if (item.Key is not null)
                obj[key] = item.Value;
        }
        foreach (var item in items.Where(p => !order.Contains(p.Key)))
            obj[item.Key] = item.Value;
    }
}
