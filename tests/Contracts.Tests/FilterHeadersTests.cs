using System.Text;

namespace Certstream.Contracts.Tests;

/// <summary>The filter headers' value forms: printable ASCII whatever the names, and back to the same names.</summary>
public sealed class FilterHeadersTests
{
    [Fact]
    public void Host_names_pass_unchanged_and_are_comma_separated()
    {
        Assert.Equal("example.com,*.example.com,xn--bcher-kva.de", FilterHeaders.EncodeDomains(["example.com", "*.example.com", "xn--bcher-kva.de"]));
    }

    [Theory]
    [InlineData("Müller GmbH")]
    [InlineData("a,b")]
    [InlineData("100%")]
    [InlineData("tab\there")]
    [InlineData("line\r\nbreak")]
    [InlineData("emoji 😀")]
    public void Any_name_round_trips_through_printable_ASCII(string name)
    {
        var value = FilterHeaders.EncodeDomains(["first.test", name]);
        Assert.All(value, c => Assert.InRange(c, '!', '~'));
        Assert.Equal(["first.test", name], FilterHeaders.DecodeDomains(value));
    }

    [Fact]
    public void No_names_is_an_empty_value_and_back()
    {
        Assert.Equal("", FilterHeaders.EncodeDomains([]));
        Assert.Empty(FilterHeaders.DecodeDomains(""));
        Assert.Empty(FilterHeaders.DecodeDomains(null));
    }

    [Fact]
    public void A_source_url_round_trips()
    {
        const string url = "https://ct.example/log with space";
        var value = FilterHeaders.EncodeSource(url);
        Assert.Equal("https://ct.example/log%20with%20space", value);
        Assert.Equal(url, FilterHeaders.DecodeSource(value));
        Assert.Equal("https://ct.googleapis.com/logs/us1/argon2027h1", FilterHeaders.EncodeSource("https://ct.googleapis.com/logs/us1/argon2027h1"));
    }

    [Fact]
    public void The_domains_of_a_domains_only_message_are_read_from_its_data_array()
    {
        var message = Encoding.UTF8.GetBytes("""{"data":["a.example","b\u002eexample","M\u00fcller"],"message_type":"dns_entries"}""");
        Assert.Equal(["a.example", "b.example", "Müller"], FilterHeaders.DecodeDomains(FilterHeaders.DomainsOfDomainsMessage(message)));
    }

    [Theory]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("""{"message_type":"dns_entries"}""")]
    [InlineData("""{"data":{"x":1}}""")]
    public void A_message_without_a_data_array_has_no_domains(string message)
    {
        Assert.Equal("", FilterHeaders.DomainsOfDomainsMessage(Encoding.UTF8.GetBytes(message)));
    }
}
