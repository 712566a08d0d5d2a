using System.Globalization;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Certstream.Parser.Messages;

namespace Certstream.Parser.Tests;

/// <summary>Every fixture certificate, malformed ones included, is streamed with fields that agree with openssl.</summary>
public sealed class CertificateFixtureTests
{
    public static TheoryData<string> Names()
    {
        var data = new TheoryData<string>();
        foreach (var (name, _) in FixtureCertificates.All())
            data.Add(name);
        return data;
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void Certificate_fields_agree_with_openssl(string name)
    {
        var der = FixtureCertificates.All().Single(c => c.Name == name).Der;
        using var writer = new MessageWriter();
        Assert.Equal(EntryRejection.None, writer.Write(FixtureCertificates.Input(FixtureCertificates.X509LeafInput(der), [0, 0, 0])));
        var leaf = JsonNode.Parse(writer.Full.Span)!["data"]!["leaf_cert"]!;

        // Hashes are checked against our own hashing of the file in every case, and against openssl where it reads the cert.
        Assert.Equal(CertificateOracle.Sha1Colon(der), (string)leaf["sha1"]!);
        Assert.Equal(CertificateOracle.Sha256Colon(der), (string)leaf["sha256"]!);
        Assert.Equal((string)leaf["sha1"]!, (string)leaf["fingerprint"]!);
        Assert.Equal(Convert.ToBase64String(der), (string)leaf["as_der"]!);

        var (code, output) = OpenSsl.Run(der, "x509", "-inform", "DER", "-noout", "-fingerprint", "-sha1", "-serial", "-dates");
        if (code != 0)
        {
            // openssl 3 refuses these (e.g. negative_serial, bad UTF-8); its lenient asn1parse still shows the serial.
            Assert.StartsWith("malformed", name, StringComparison.Ordinal);
            var (_, asn1) = OpenSsl.Run(der, "asn1parse", "-inform", "DER");
            var serialLine = asn1.Split('\n').First(l => l.Contains("d=2", StringComparison.Ordinal) && l.Contains("INTEGER", StringComparison.Ordinal));
            Assert.Equal(NormalizeSerial(Asn1ParseInteger(serialLine[(serialLine.LastIndexOf(':') + 1)..])), NormalizeSerial((string)leaf["serial_number"]!));
            return;
        }

        var values = output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => l.Split('=', 2)).ToDictionary(p => p[0].Trim(), p => p[1].Trim(), StringComparer.OrdinalIgnoreCase);
        Assert.Equal(values["SHA1 Fingerprint"], (string)leaf["sha1"]!);
        var sha256 = OpenSsl.Run(der, "x509", "-inform", "DER", "-noout", "-fingerprint", "-sha256").Output.Split('=', 2)[1].Trim();
        Assert.Equal(sha256, (string)leaf["sha256"]!);
        Assert.Equal(NormalizeSerial(values["serial"]), NormalizeSerial((string)leaf["serial_number"]!));
        Assert.Equal(OpenSslDate(values["notBefore"]), (long)leaf["not_before"]!);
        Assert.Equal(OpenSslDate(values["notAfter"]), (long)leaf["not_after"]!);

        AssertSubjectAltNames(der, leaf);

        // extendedKeyUsage is OpenSSL's text (docs/format.md); ST and email_address are the province and emailAddress attributes.
        var eku = OpenSsl.Extension(der, "extendedKeyUsage");
        Assert.Equal(eku, (string?)leaf["extensions"]!["extendedKeyUsage"]);
        var (subject, issuer) = CertificateOracle.Names(der);
        Assert.Equal(subject.Province, (string?)leaf["subject"]!["ST"]);
        Assert.Equal(subject.Email, (string?)leaf["subject"]!["email_address"]);
        Assert.Equal(issuer.Province, (string?)leaf["issuer"]!["ST"]);
        Assert.Equal(subject.HasCommonName, leaf["subject"]!["CN"] is not null);
        var basicConstraints = OpenSsl.Extension(der, "basicConstraints");
        Assert.Equal(basicConstraints?.Contains("CA:TRUE", StringComparison.Ordinal) ?? false, (bool)leaf["is_ca"]!);
    }

    private static void AssertSubjectAltNames(byte[] der, JsonNode leaf)
    {
        var san = OpenSsl.Extension(der, "subjectAltName");
        var ours = leaf["extensions"]!["subjectAltName"];
        if (san is null)
        {
            Assert.Null(ours);
            return;
        }
        Assert.NotNull(ours);

        var items = san.Split(", ");
        var known = new[] { "DNS:", "email:", "IP Address:", "URI:", "DirName:", "othername:", "Registered ID:" };
        List<string> dns, email, ip;
        if (items.All(i => known.Any(k => i.StartsWith(k, StringComparison.Ordinal))))
        {
            dns = [.. items.Where(i => i.StartsWith("DNS:", StringComparison.Ordinal)).Select(i => i[4..])];
            email = [.. items.Where(i => i.StartsWith("email:", StringComparison.Ordinal)).Select(i => i[6..])];
            ip = [.. items.Where(i => i.StartsWith("IP Address:", StringComparison.Ordinal) && !i.Contains('<', StringComparison.Ordinal))
                .Select(i => IPAddress.Parse(i[11..]).ToString())];
        }
        else
        {
            // openssl hex-dumps names it cannot print (NUL bytes): read them with .NET instead.
            using var certificate = X509CertificateLoader.LoadCertificate(der);
            var extension = certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single();
            dns = [.. extension.EnumerateDnsNames()];
            ip = [.. extension.EnumerateIPAddresses().Select(a => a.ToString())];
            email = null!;
        }

        var ourItems = ((string)ours!).Split(", ", StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(dns, ourItems.Where(i => i.StartsWith("DNS:", StringComparison.Ordinal)).Select(i => i[4..]));
        if (email is not null)
            Assert.Equal(email, ourItems.Where(i => i.StartsWith("email:", StringComparison.Ordinal)).Select(i => i[6..]));
        Assert.Equal(ip, ourItems.Where(i => i.StartsWith("IP Address:", StringComparison.Ordinal)).Select(i => IPAddress.Parse(i[11..]).ToString()));

        // all_domains lists the SAN DNS names once each, in order, before any CN.
        var domains = leaf["all_domains"]!.AsArray().Select(d => (string)d!).ToList();
        Assert.Equal(dns.Distinct(), domains.Take(dns.Distinct().Count()));
    }

    // Both sides as hex of the magnitude without leading zeros (ours pads to even length as the reference does).
    private static string NormalizeSerial(string serial)
    {
        var s = serial.Trim().ToUpperInvariant().TrimStart('0');
        var negative = s.StartsWith('-');
        s = s.TrimStart('-').TrimStart('0');
        return (negative ? "-" : "") + (s.Length == 0 ? "0" : s);
    }

    // asn1parse shows a non-minimal INTEGER as "BAD INTEGER:[<two's complement hex>]".
    private static string Asn1ParseInteger(string text)
    {
        if (!text.StartsWith('['))
            return text;
        var value = new System.Numerics.BigInteger(Convert.FromHexString(text.Trim('[', ']')), isUnsigned: false, isBigEndian: true);
        return (value.Sign < 0 ? "-" : "") + System.Numerics.BigInteger.Abs(value).ToString("X", CultureInfo.InvariantCulture);
    }

    private static long OpenSslDate(string text)
    {
        var collapsed = string.Join(' ', text.Split(' ', StringSplitOptions.RemoveEmptyEntries));
        var date = DateTime.ParseExact(collapsed, "MMM d HH:mm:ss yyyy 'GMT'", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);
        return new DateTimeOffset(date, TimeSpan.Zero).ToUnixTimeSeconds();
    }
}
