using System.Formats.Asn1;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json;
using Certstream.TestSupport;

namespace Certstream.CtLogSim.Tests;

[Collection(SharedSimulator.Name)]
public sealed class Rfc6962ApiTests(SimulatorFixture fixture)
{
    private const string PoisonOid = "1.3.6.1.4.1.11129.2.4.3";
    private CtLogSimulator Sim => fixture.Sim;
    private HttpClient Http => fixture.Http;

    private SimLogInfo Cap(int cap) => Sim.Logs.Single(l => l.BatchCap == cap);

    [Fact]
    public async Task Get_sth_has_the_fields_of_a_real_sth_in_order_and_a_valid_signature()
    {
        var real = JsonDocument.Parse(File.ReadAllText(RepoPaths.Fixture("rfc6962", "argon2027h1_get-sth_384065451.json"))).RootElement;
        var log = Cap(32);
        var sth = await Http.GetJsonAsync(log.Url.Under("ct/v1/get-sth"));

        Assert.Equal(real.EnumerateObject().Select(p => (p.Name, p.Value.ValueKind)), sth.EnumerateObject().Select(p => (p.Name, p.Value.ValueKind)));
        var root = sth.GetProperty("sha256_root_hash").GetBytesFromBase64();
        Assert.Equal(32, root.Length);
        Assert.Equal(SimulatorFixture.InitialSize, sth.GetProperty("tree_size").GetInt64());
        var signature = sth.GetProperty("tree_head_signature").GetBytesFromBase64();
        Assert.StartsWith("BAMA", sth.GetProperty("tree_head_signature").GetString()); // sha256/ecdsa, like real P-256 logs
        var input = TreeMath.TreeHeadSignatureInput(sth.GetProperty("timestamp").GetInt64(), sth.GetProperty("tree_size").GetInt64(), root);
        Assert.True(TreeMath.VerifyDigitallySigned(Convert.FromBase64String(log.Key), input, signature));
    }

    [Fact]
    public async Task Sth_root_is_the_merkle_tree_hash_of_the_served_leaves()
    {
        var log = Cap(256);
        var sth = await Http.GetJsonAsync(log.Url.Under("ct/v1/get-sth"));
        var size = sth.GetProperty("tree_size").GetInt64();
        var hashes = new List<byte[]>();
        while (hashes.Count < size)
        {
            var page = await Http.GetJsonAsync(log.Url.Under($"ct/v1/get-entries?start={hashes.Count}&end={size - 1}"));
            foreach (var e in page.GetProperty("entries").EnumerateArray())
                hashes.Add(TreeMath.LeafHash(e.GetProperty("leaf_input").GetBytesFromBase64()));
        }
        Assert.Equal(TreeMath.Mth(hashes), sth.GetProperty("sha256_root_hash").GetBytesFromBase64());
    }

    [Fact]
    public async Task Get_entries_has_the_shape_of_a_real_answer()
    {
        var realText = File.ReadAllText(RepoPaths.Fixture("rfc6962", "argon2027h1_get-entries_380000003-380000004.json"));
        var real = JsonDocument.Parse(realText).RootElement;
        using var response = await Http.GetAsync(Cap(32).Url.Under("ct/v1/get-entries?start=3&end=4"));
        var text = await response.Content.ReadAsStringAsync();
        var ours = JsonDocument.Parse(text).RootElement;

        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(realText[..24], text[..24]); // {"entries":[{"leaf_input": compact, same order
        Assert.Equal(real.EnumerateObject().Select(p => p.Name), ours.EnumerateObject().Select(p => p.Name));
        var realEntry = real.GetProperty("entries")[0].EnumerateObject().Select(p => p.Name);
        Assert.All(ours.GetProperty("entries").EnumerateArray(), e => Assert.Equal(realEntry, e.EnumerateObject().Select(p => p.Name)));
        Assert.Equal(2, ours.GetProperty("entries").GetArrayLength());
        Assert.DoesNotContain("\\u", text);
    }

    [Theory]
    [InlineData(32, 10, 1000, 22)]   // the CTFE example: cut back to the next multiple of the cap
    [InlineData(32, 0, 31, 32)]
    [InlineData(32, 0, 100, 32)]
    [InlineData(32, 64, 200, 32)]
    [InlineData(32, 5, 10, 6)]       // under the cap: served as asked
    [InlineData(32, 30, 40, 11)]     // under the cap, crossing a boundary: not aligned
    [InlineData(256, 10, 1000, 246)]
    [InlineData(256, 0, 599, 256)]
    [InlineData(256, 512, 5000, 88)] // end past the tree: answered up to the last entry
    [InlineData(1024, 0, 5000, 600)]
    [InlineData(1024, 599, 599, 1)]
    [InlineData(32, 1, long.MaxValue, 31)] // no overflow into an uncapped answer
    public async Task Get_entries_is_capped_and_aligned_like_trillian(int cap, long start, long end, int expected)
    {
        var page = await Http.GetJsonAsync(Cap(cap).Url.Under($"ct/v1/get-entries?start={start}&end={end}"));
        var entries = page.GetProperty("entries").EnumerateArray().ToList();
        Assert.Equal(expected, entries.Count);
        var record = Sim.Record.Entries(Cap(cap).Name, start, start + expected - 1);
        Assert.Equal(record.Select(r => Convert.ToBase64String(r.LeafInput)), entries.Select(e => e.GetProperty("leaf_input").GetString()));
    }

    [Theory]
    [InlineData("start=600&end=700")]  // start at the tree size
    [InlineData("start=5000&end=5001")]
    [InlineData("start=10&end=5")]
    [InlineData("start=-1&end=5")]
    [InlineData("start=a&end=5")]
    [InlineData("end=5")]
    [InlineData("start=1")]
    [InlineData("")]
    public async Task Get_entries_rejects_bad_ranges_with_400(string query)
    {
        using var response = await Http.GetAsync(Cap(32).Url.Under("ct/v1/get-entries?" + query));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    [Fact]
    public async Task X509_entry_certificate_loads_chains_to_its_root_and_has_the_recorded_facts()
    {
        var log = Cap(32);
        var page = await Http.GetJsonAsync(log.Url.Under("ct/v1/get-entries?start=0&end=31"));
        var checkedAny = false;
        var index = 0;
        foreach (var e in page.GetProperty("entries").EnumerateArray())
        {
            var entry = TimestampedEntry.FromLeafInput(e.GetProperty("leaf_input").GetBytesFromBase64());
            var recorded = Sim.Record.Entry(log.Name, index++)!;
            Assert.Equal(recorded.Timestamp, entry.Timestamp);
            if (entry.EntryType != 0) continue;
            checkedAny = true;
            Assert.Equal("x509", recorded.Type);
            Assert.Empty(entry.Extensions);
            var chain = new TlsReader(e.GetProperty("extra_data").GetBytesFromBase64()).CertificateList24();
            Assert.Equal(2, chain.Count);

            using var cert = X509CertificateLoader.LoadCertificate(entry.Body);
            Assert.Equal(recorded.Facts.SerialNumber, cert.SerialNumber);
            Assert.Equal(recorded.Facts.Sha256, Convert.ToHexString(SHA256.HashData(entry.Body)));
            var san = cert.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single();
            Assert.Equal(recorded.Facts.DnsNames, san.EnumerateDnsNames());
            Assert.Equal(recorded.Facts.IpAddresses, san.EnumerateIPAddresses().Select(ip => ip.ToString()));
            Assert.Equal(recorded.Facts.NotAfter, new DateTimeOffset(cert.NotAfter.ToUniversalTime(), TimeSpan.Zero));
            if (recorded.Facts.SubjectCommonName is null) Assert.Equal(new byte[] { 0x30, 0x00 }, cert.SubjectName.RawData);
            else Assert.Equal(recorded.Facts.SubjectCommonName, cert.GetNameInfo(X509NameType.SimpleName, false));
            Assert.DoesNotContain(cert.Extensions.Cast<X509Extension>(), x => x.Oid!.Value == PoisonOid);

            using var issuer = X509CertificateLoader.LoadCertificate(chain[0]);
            using var root = X509CertificateLoader.LoadCertificate(chain[1]);
            Assert.Equal(issuer.SubjectName.RawData, cert.IssuerName.RawData);
            // Like real CA names, the DER starts with the country and ends with the common name.
            var rdns = new AsnReader(issuer.SubjectName.RawData, AsnEncodingRules.DER).ReadSequence();
            Assert.Equal("2.5.4.6", rdns.ReadSetOf().ReadSequence().ReadObjectIdentifier());
            using var x509Chain = new X509Chain();
            x509Chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            x509Chain.ChainPolicy.CustomTrustStore.Add(root);
            x509Chain.ChainPolicy.ExtraStore.Add(issuer);
            x509Chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            x509Chain.ChainPolicy.VerificationTime = cert.NotBefore.AddMinutes(1);
            Assert.True(x509Chain.Build(cert), string.Join("; ", x509Chain.ChainStatus.Select(s => s.StatusInformation)));
        }
        Assert.True(checkedAny, "no x509_entry among the first 32");
    }

    [Fact]
    public async Task Precert_entry_logs_the_tbs_without_poison_and_extra_data_holds_the_precertificate_with_it()
    {
        var log = Cap(256);
        var page = await Http.GetJsonAsync(log.Url.Under("ct/v1/get-entries?start=0&end=63"));
        var checkedAny = false;
        var index = 0;
        foreach (var e in page.GetProperty("entries").EnumerateArray())
        {
            var entry = TimestampedEntry.FromLeafInput(e.GetProperty("leaf_input").GetBytesFromBase64());
            var recorded = Sim.Record.Entry(log.Name, index++)!;
            if (entry.EntryType != 1) continue;
            checkedAny = true;
            Assert.Equal("precert", recorded.Type);
            var extra = new TlsReader(e.GetProperty("extra_data").GetBytesFromBase64());
            var precertDer = extra.Opaque24();
            var chain = extra.CertificateList24();
            Assert.True(extra.AtEnd);

            using var issuer = X509CertificateLoader.LoadCertificate(chain[0]);
            Assert.Equal(SHA256.HashData(issuer.PublicKey.ExportSubjectPublicKeyInfo()), entry.IssuerKeyHash);

            using var precert = X509CertificateLoader.LoadCertificate(precertDer);
            var poison = precert.Extensions.Cast<X509Extension>().Single(x => x.Oid!.Value == PoisonOid);
            Assert.True(poison.Critical);
            Assert.Equal(new byte[] { 0x05, 0x00 }, poison.RawData);
            Assert.Equal(recorded.Facts.DnsNames, precert.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single().EnumerateDnsNames());

            var (precertTbs, signature) = SplitCertificate(precertDer);
            Assert.True(issuer.GetECDsaPublicKey()!.VerifyData(precertTbs, signature, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence));

            var logged = TbsParts(entry.Body);
            var submitted = TbsParts(precertTbs);
            Assert.DoesNotContain(logged.Extensions, x => x.Oid == PoisonOid);
            Assert.Equal(submitted.Fields, logged.Fields);
            Assert.Equal(submitted.Extensions.Where(x => x.Oid != PoisonOid).Select(x => x.Der), logged.Extensions.Select(x => x.Der));
        }
        Assert.True(checkedAny, "no precert_entry among the first 64");
    }

    [Fact]
    public async Task Get_roots_lists_the_root_of_every_served_chain()
    {
        var log = Cap(1024);
        var roots = (await Http.GetJsonAsync(log.Url.Under("ct/v1/get-roots"))).GetProperty("certificates").EnumerateArray().Select(c => c.GetString()).ToHashSet();
        Assert.Equal(2, roots.Count);
        foreach (var r in Sim.Record.Entries(log.Name, 0, 99))
        {
            var extra = new TlsReader(r.ExtraData);
            if (r.Type == "precert") extra.Opaque24();
            Assert.Contains(Convert.ToBase64String(extra.CertificateList24()[^1]), roots);
        }
    }

    [Theory]
    [InlineData("static-0/ct/v1/get-sth")]
    [InlineData("static-0/ct/v1/get-entries?start=0&end=1")]
    [InlineData("rfc6962-0/checkpoint")]
    [InlineData("rfc6962-0/tile/data/000")]
    [InlineData("nosuchlog/ct/v1/get-sth")]
    public async Task Paths_of_the_other_log_kind_are_not_found(string path)
    {
        using var response = await Http.GetAsync(new Uri(Sim.BaseUrl, path));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    private static (byte[] Tbs, byte[] Signature) SplitCertificate(byte[] der)
    {
        var cert = new AsnReader(der, AsnEncodingRules.DER).ReadSequence();
        var tbs = cert.ReadEncodedValue().ToArray();
        cert.ReadEncodedValue();
        return (tbs, cert.ReadBitString(out _));
    }

    private static (List<string> Fields, List<(string Oid, string Der)> Extensions) TbsParts(byte[] tbsDer)
    {
        var tbs = new AsnReader(tbsDer, AsnEncodingRules.DER).ReadSequence();
        var fields = new List<string>();
        var extensions = new List<(string, string)>();
        var extTag = new Asn1Tag(TagClass.ContextSpecific, 3, true);
        while (tbs.HasData)
        {
            if (tbs.PeekTag() == extTag)
            {
                var list = tbs.ReadSequence(extTag).ReadSequence();
                while (list.HasData)
                {
                    var der = list.ReadEncodedValue().ToArray();
                    extensions.Add((new AsnReader(der, AsnEncodingRules.DER).ReadSequence().ReadObjectIdentifier(), Convert.ToHexString(der)));
                }
            }
            else
            {
                fields.Add(Convert.ToHexString(tbs.ReadEncodedValue().Span));
            }
        }
        return (fields, extensions);
    }
}
