using System.Net;
using Certstream.Hosting.Configuration;

namespace Certstream.Edge.Tests;

public sealed class NetworkListTests
{
    [Theory]
    [InlineData("10.0.0.0/8", "10.255.1.2", true)]
    [InlineData("10.0.0.0/8", "11.0.0.1", false)]
    [InlineData("127.0.0.1/8", "127.5.5.5", true)] // host bits ignored, as in certstream-server-go's sample
    [InlineData("192.168.1.1", "192.168.1.1", true)]
    [InlineData("192.168.1.1", "192.168.1.2", false)]
    [InlineData("2001:db8::/32", "2001:db8:1::5", true)]
    [InlineData("2001:db8::/32", "2001:db9::5", false)]
    [InlineData("127.0.0.1", "::ffff:127.0.0.1", true)] // IPv4 seen through a dual-stack socket
    [InlineData("0.0.0.0/0", "8.8.8.8", true)]
    public void Contains_matches_ips_and_cidr_ranges(string entry, string address, bool expected)
    {
        var list = NetworkList.From(Edge.Networks(entry), "webserver.whitelist");

        Assert.Equal(expected, list.Contains(IPAddress.Parse(address)));
    }

    [Theory]
    [InlineData("10.0.0.0/33")]
    [InlineData("not-an-ip")]
    [InlineData("10.0.0.0/x")]
    [InlineData("")]
    public void Bad_entries_stop_start_up_naming_the_key(string entry)
    {
        var error = Assert.Throws<ConfigException>(() => Edge.Config($"  trusted_proxies: [\"{entry}\"]\n"));

        Assert.Contains("webserver.trusted_proxies", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Ipv4_mapped_ranges_that_could_never_match_stop_start_up_naming_the_key()
    {
        var error = Assert.Throws<ArgumentException>(() => NetworkList.From(Edge.Networks("::ffff:10.0.0.0/104"), "webserver.trusted_proxies"));

        Assert.Contains("webserver.trusted_proxies", error.Message, StringComparison.Ordinal);
    }
}
