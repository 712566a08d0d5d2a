using Microsoft.AspNetCore.Http;

namespace Certstream.Edge.Tests;

/// <summary>The server-side filters of a stream request (README "Filters"): what they accept and what they let through.</summary>
public sealed class ClientFilterTests
{
    private static ClientFilter? Parse(string query, out string? error) =>
        ClientFilter.Parse(new QueryCollection(Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(query)), out error);

    private static ClientFilter Filter(string query)
    {
        var filter = Parse(query, out var error);
        Assert.Null(error);
        return filter ?? throw new InvalidOperationException("no filter");
    }

    private static MessageFacts Facts(string domains, bool? precert = false, string source = "https://ct.example/log") =>
        new(domains.Split(',', StringSplitOptions.RemoveEmptyEntries), precert, source);

    [Fact]
    public void No_filter_parameter_is_no_filter()
    {
        Assert.Null(Parse("?foo=bar", out var error));
        Assert.Null(error);
    }

    [Theory]
    [InlineData("example.com", true)]
    [InlineData("a.b.example.com", true)]
    [InlineData("WWW.Example.COM", true)]
    [InlineData("*.example.com", true)]
    [InlineData("notexample.com", false)]
    [InlineData("example.com.evil.test", false)]
    [InlineData("other.test", false)]
    public void A_domain_matches_itself_and_every_name_under_it(string name, bool expected)
    {
        Assert.Equal(expected, Filter("?domain=example.com").Matches(Facts(name)));
    }

    [Fact]
    public void A_leading_star_means_only_names_under_it()
    {
        var filter = Filter("?domain=*.example.com");
        Assert.False(filter.Matches(Facts("example.com")));
        Assert.True(filter.Matches(Facts("www.example.com")));
    }

    [Fact]
    public void Any_of_several_domains_and_any_of_the_certificates_names_will_do()
    {
        var filter = Filter("?domain=example.com,%20example.org");
        Assert.True(filter.Matches(Facts("x.test,shop.example.org")));
        Assert.False(filter.Matches(Facts("x.test,example.net")));
    }

    [Fact]
    public void Internationalized_names_are_matched_in_their_A_label_form()
    {
        Assert.True(Filter("?domain=b%C3%BCcher.de").Matches(Facts("www.xn--bcher-kva.de")));
        Assert.True(Filter("?domain=xn--bcher-kva.de").Matches(Facts("xn--bcher-kva.de")));
    }

    [Fact]
    public void A_regex_is_tried_against_each_name_without_regard_to_case()
    {
        var filter = Filter("?regex=^paypa[l1]\\.");
        Assert.True(filter.Matches(Facts("a.test,PAYPA1.login.test")));
        Assert.False(filter.Matches(Facts("my.paypal.test")));
    }

    [Fact]
    public void A_pattern_that_would_backtrack_forever_matches_in_linear_time()
    {
        var filter = Filter("?regex=^(a%2B)%2B$");
        var evil = new string('a', 5_000) + "!";
        var clock = System.Diagnostics.Stopwatch.StartNew();
        Assert.False(filter.Matches(Facts(evil)));
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(5), $"took {clock.Elapsed}");
    }

    [Fact]
    public void Type_and_log_narrow_further_and_all_parameters_must_match()
    {
        var filter = Filter("?type=precert&log=ARGON&domain=example.com");
        Assert.True(filter.Matches(Facts("example.com", precert: true, source: "https://ct.googleapis.com/logs/us1/argon2027h1")));
        Assert.False(filter.Matches(Facts("example.com", precert: false, source: "https://ct.googleapis.com/logs/us1/argon2027h1")));
        Assert.False(filter.Matches(Facts("example.com", precert: true, source: "https://oak.ct.letsencrypt.org/2027h1")));
        Assert.False(filter.Matches(Facts("example.org", precert: true, source: "https://ct.googleapis.com/logs/us1/argon2027h1")));
        Assert.False(filter.Matches(MessageFacts.None));
    }

    [Theory]
    [InlineData("?domain=", "domain: give one or more names")]
    [InlineData("?domain=a%20b.com", "domain: \"a b.com\" is not a domain name")]
    [InlineData("?domain=*.*.com", "domain:")]
    [InlineData("?regex=(", "regex:")]
    [InlineData("?regex=", "regex: empty pattern")]
    [InlineData("?regex=(?<=a)b", "regex:")]
    [InlineData("?type=both", "type: expected x509 or precert")]
    [InlineData("?log=", "log: empty")]
    [InlineData("?type=x509&type=precert", "type: given 2 times")]
    public void A_bad_parameter_is_named_with_the_reason(string query, string reason)
    {
        Assert.Null(Parse(query, out var error));
        Assert.NotNull(error);
        Assert.StartsWith(reason, error, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', error);
    }

    [Fact]
    public void Limits_on_sizes_are_enforced()
    {
        Parse("?regex=" + new string('a', ClientFilter.MaxRegexLength + 1), out var regexError);
        Assert.StartsWith("regex: longer than", regexError, StringComparison.Ordinal);
        Parse("?domain=" + string.Join(",", Enumerable.Range(0, ClientFilter.MaxDomains + 1).Select(i => $"d{i}.test")), out var domainError);
        Assert.StartsWith("domain: at most", domainError, StringComparison.Ordinal);
    }
}
