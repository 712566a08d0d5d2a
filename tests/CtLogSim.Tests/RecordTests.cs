using System.Formats.Asn1;
using System.Security.Cryptography.X509Certificates;
using Xunit.Abstractions;

namespace Certstream.CtLogSim.Tests;

[Collection(SharedSimulator.Name)]
public sealed class RecordTests(SimulatorFixture fixture, ITestOutputHelper output)
{
    [Fact]
    public async Task Http_record_matches_the_in_process_record_and_what_get_entries_served()
    {
        var log = fixture.Sim.Log("rfc6962-0");
        var served = (await fixture.Http.GetJsonAsync(log.Url.Under("ct/v1/get-entries?start=0&end=31"))).GetProperty("entries").EnumerateArray().ToList();
        var http = await fixture.Http.GetJsonAsync(new Uri(fixture.Sim.BaseUrl, "_sim/record/rfc6962-0?start=0&end=31"));
        var inProcess = fixture.Sim.Record.Entries("rfc6962-0", 0, 31);

        Assert.Equal(SimulatorFixture.InitialSize, http.GetProperty("tree_size").GetInt64());
        var recorded = http.GetProperty("entries").EnumerateArray().ToList();
        Assert.Equal(32, recorded.Count);
        for (var i = 0; i < 32; i++)
        {
            var r = recorded[i];
            Assert.Equal(i, r.GetProperty("index").GetInt64());
            Assert.Equal(served[i].GetProperty("leaf_input").GetString(), r.GetProperty("leaf_input").GetString());
            Assert.Equal(served[i].GetProperty("extra_data").GetString(), r.GetProperty("extra_data").GetString());
            Assert.Equal(inProcess[i].Type, r.GetProperty("type").GetString());
            Assert.Equal(inProcess[i].Facts.SerialNumber, r.GetProperty("serial_number").GetString());
            Assert.Equal(inProcess[i].Facts.Sha256, r.GetProperty("sha256").GetString());
            Assert.Equal(inProcess[i].Facts.DnsNames, r.GetProperty("dns_names").EnumerateArray().Select(d => d.GetString()));

            // The recorded facts are those of the certificate actually served.
            using var cert = X509CertificateLoader.LoadCertificate(inProcess[i].Certificate);
            Assert.Equal(inProcess[i].Facts.SerialNumber, cert.SerialNumber);
            Assert.Equal(inProcess[i].Facts.NotBefore, new DateTimeOffset(cert.NotBefore.ToUniversalTime(), TimeSpan.Zero));
            Assert.Equal(inProcess[i].Facts.EmailAddresses, SanValues(cert, 1));
            Assert.Equal(inProcess[i].Facts.Uris, SanValues(cert, 6));
        }
    }

    // GeneralName values of one [n] IA5String kind (rfc822Name = 1, URI = 6), read with AsnReader.
    private static List<string> SanValues(X509Certificate2 cert, int tag)
    {
        var san = cert.Extensions.OfType<X509SubjectAlternativeNameExtension>().Single();
        var names = new AsnReader(san.RawData, AsnEncodingRules.DER).ReadSequence();
        var result = new List<string>();
        while (names.HasData)
        {
            var t = names.PeekTag();
            if (t.TagClass == TagClass.ContextSpecific && t.TagValue == tag) result.Add(names.ReadCharacterString(UniversalTagNumber.IA5String, t));
            else names.ReadEncodedValue();
        }
        return result;
    }

    [Fact]
    public async Task Served_counts_go_up_by_one_per_answer_that_carried_the_entry()
    {
        var before = fixture.Sim.Record.Entries("rfc6962-1", 100, 109).Select(e => e.Served).ToList();
        await fixture.Http.GetJsonAsync(fixture.Sim.Log("rfc6962-1").Url.Under("ct/v1/get-entries?start=100&end=104"));
        var expected = before.Take(5).Select(n => n + 1).Concat(before.Skip(5)).ToList();
        // The simulator counts an answer once its body is written, which can be just after the client has read it.
        await UntilAsync(() => fixture.Sim.Record.Entries("rfc6962-1", 100, 109).Select(e => e.Served).SequenceEqual(expected));
        Assert.Equal(expected, fixture.Sim.Record.Entries("rfc6962-1", 100, 109).Select(e => e.Served).ToList());

        var tileBefore = fixture.Sim.Record.Entry("static-1", 0)!.Served;
        using var tile = await fixture.Http.GetAsync(fixture.Sim.Log("static-1").Url.Under("tile/data/000"));
        await UntilAsync(() => fixture.Sim.Record.Entry("static-1", 0)!.Served != tileBefore);
        Assert.Equal(tileBefore + 1, fixture.Sim.Record.Entry("static-1", 0)!.Served);
        var http = await fixture.Http.GetJsonAsync(new Uri(fixture.Sim.BaseUrl, "_sim/record/static-1?start=0&end=0"));
        Assert.Equal(tileBefore + 1, http.GetProperty("entries")[0].GetProperty("served").GetInt32());
    }

    // A bounded wait for the server-side count (at most 5 s); the assertion after it states the expectation.
    private static async Task UntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(5);
        while (!condition() && DateTime.UtcNow < deadline)
            await Task.Delay(10);
    }

    [Fact]
    public async Task Faults_endpoint_counts_requests_of_a_log()
    {
        var before = fixture.Sim.Record.Requests("rfc6962-2");
        await fixture.Http.GetJsonAsync(fixture.Sim.Log("rfc6962-2").Url.Under("ct/v1/get-sth"));
        var faults = await fixture.Http.GetJsonAsync(new Uri(fixture.Sim.BaseUrl, "_sim/faults/rfc6962-2"));
        Assert.True(faults.GetProperty("requests").GetInt64() >= before + 1);
        Assert.Equal(0, faults.GetProperty("faults").GetProperty("Dropped").GetInt64());
    }

    [Fact]
    public void Entries_vary_in_type_names_keys_and_issuers()
    {
        var entries = fixture.Sim.Record.Entries("rfc6962-1", 0, SimulatorFixture.InitialSize - 1);
        var precerts = entries.Count(e => e.Type == "precert");
        output.WriteLine($"precert {precerts}, x509 {entries.Count - precerts}");
        Assert.InRange(precerts, 250, 470); // 60 % of 600
        Assert.Contains(entries, e => e.Facts.DnsNames.Any(d => d.StartsWith("*.", StringComparison.Ordinal)));
        Assert.Contains(entries, e => e.Facts.DnsNames.Any(d => d.Contains("xn--", StringComparison.Ordinal)));
        Assert.Contains(entries, e => e.Facts.IpAddresses.Count > 0);
        Assert.Contains(entries, e => e.Facts.EmailAddresses.Count > 0);
        Assert.Contains(entries, e => e.Facts.Uris.Count > 0);
        Assert.Contains(entries, e => e.Facts.DnsNames.Count > 20);
        Assert.Contains(entries, e => e.Facts.SubjectCommonName is null);
        Assert.Contains(entries, e => e.Facts.PolicyOids.Contains("2.23.140.1.1"));
        Assert.Equal(3, entries.Select(e => e.Facts.KeyAlgorithm).Distinct().Count());
        Assert.Equal(2, entries.Select(e => e.IssuerSha256).Distinct().Count());
        Assert.Equal(entries.Count, entries.Select(e => e.Facts.SerialNumber).Distinct().Count());
    }
}
