using System.Text.Json.Nodes;
using Certstream.Parser.Messages;
using Certstream.TestSupport;

namespace Certstream.Parser.Tests;

public sealed class PrecertTests
{
    private static readonly byte[] Tbs = File.ReadAllBytes(RepoPaths.Fixture("certs", "modern", "precert_cva-group.at_ecdsa_WE1.tbs_from_leaf_input.der"));
    private static readonly byte[] Submitted = FixtureCertificates.Pem("modern", "precert_cva-group.at_ecdsa_WE1.pem");
    private static readonly byte[] Issuer = FixtureCertificates.Pem("modern", "ca_WE1_intermediate.pem");

    [Fact]
    public void Precert_hashes_and_as_der_come_from_the_submitted_precertificate_and_fields_from_the_tbs()
    {
        byte[] extraData = [.. FixtureCertificates.UInt24(Submitted.Length), .. Submitted, .. FixtureCertificates.UInt24(Issuer.Length + 3), .. FixtureCertificates.UInt24(Issuer.Length), .. Issuer];
        using var writer = new MessageWriter();
        Assert.Equal(EntryRejection.None, writer.Write(FixtureCertificates.Input(FixtureCertificates.PrecertLeafInput(Tbs), extraData)));
        var data = JsonNode.Parse(writer.Full.Span)!["data"]!;
        var leaf = data["leaf_cert"]!;

        Assert.Equal(CertificateOracle.Sha256Colon(Submitted), (string)leaf["sha256"]!);
        Assert.Equal(CertificateOracle.Sha1Colon(Submitted), (string)leaf["fingerprint"]!);
        Assert.Equal(Convert.ToBase64String(Submitted), (string)leaf["as_der"]!);
        Assert.True((bool)leaf["extensions"]!["ctlPoisonByte"]!);
        Assert.Equal("695776EEC0CE8569131971F2A472179E", (string)leaf["serial_number"]!);
        Assert.Equal(["cva-group.at"], leaf["all_domains"]!.AsArray().Select(d => (string)d!));
        Assert.Equal("PrecertLogEntry", (string)data["update_type"]!);
        Assert.Equal("https://ct.example/log/ct/v1/get-entries?start=0&end=0", (string)data["cert_link"]!);
        Assert.Single(data["chain"]!.AsArray());
    }

    [Fact]
    public void Precert_with_unreadable_extra_data_is_still_streamed_without_chain_and_as_der()
    {
        using var writer = new MessageWriter();
        Assert.Equal(EntryRejection.None, writer.Write(FixtureCertificates.Input(FixtureCertificates.PrecertLeafInput(Tbs), [0, 0])));
        var data = JsonNode.Parse(writer.Full.Span)!["data"]!.AsObject();
        Assert.False(data.ContainsKey("chain"));
        Assert.False(data["leaf_cert"]!.AsObject().ContainsKey("as_der"));
        Assert.Equal("695776EEC0CE8569131971F2A472179E", (string)data["leaf_cert"]!["serial_number"]!);
    }

    [Fact]
    public void Tiled_entry_takes_its_chain_from_the_issuers_and_has_an_empty_cert_link()
    {
        var entries = GoldenLog.TiledEntries(new AnyIssuer(Issuer));
        using var writer = new MessageWriter();
        Assert.Equal(EntryRejection.None, writer.Write(entries[5].Input));
        var data = JsonNode.Parse(writer.Full.Span)!["data"]!;
        Assert.Equal("", (string)data["cert_link"]!);
        Assert.Equal("tiled", (string)data["source"]!["type"]!);
        Assert.Equal("http://127.0.0.1:18090/tgold", (string)data["source"]!["url"]!);
        Assert.Equal(Convert.ToBase64String(Issuer), (string)data["chain"]![0]!["as_der"]!);
        Assert.Equal(Convert.ToBase64String(entries[5].PreCertificate), (string)data["leaf_cert"]!["as_der"]!);
        Assert.Equal(5UL, (ulong)data["cert_index"]!);
    }

    private sealed class AnyIssuer(byte[] der) : IIssuerSource
    {
        public bool TryGet(ReadOnlySpan<byte> sha256Fingerprint, out ReadOnlyMemory<byte> result)
        {
            result = der;
            return true;
        }
    }
}
