using System.Net;
using Certstream.Hosting.Configuration;
using Microsoft.AspNetCore.Http;

namespace Certstream.Edge.Tests;

public sealed class AccessPolicyTests
{
    private static IPAddress Resolve(WebserverOptions settings, string peer, params (string Name, string Value)[] headers)
    {
        var context = new DefaultHttpContext();
        context.Connection.RemoteIpAddress = IPAddress.Parse(peer);
        foreach (var (name, value) in headers) context.Request.Headers.Append(name, value);
        return new AccessPolicy(settings).ClientAddress(context);
    }

    private static readonly WebserverOptions BehindProxies = new()
    {
        RealIp = true,
        TrustedProxies = Edge.Networks("127.0.0.1", "10.0.0.0/8"),
    };

    [Fact]
    public void Without_real_ip_the_peer_address_is_the_client()
    {
        Assert.Equal(IPAddress.Parse("127.0.0.1"),
            Resolve(new WebserverOptions { TrustedProxies = Edge.Networks("127.0.0.1") }, "127.0.0.1", ("X-Forwarded-For", "198.51.100.1")));
    }

    [Fact]
    public void X_forwarded_for_is_read_from_the_right_skipping_trusted_proxies()
    {
        // The left-most entry is whatever the client claimed; the first untrusted hop from the right is who connected.
        Assert.Equal(IPAddress.Parse("198.51.100.1"),
            Resolve(BehindProxies, "127.0.0.1", ("X-Forwarded-For", "203.0.113.66, 198.51.100.1, 10.1.2.3")));
    }

    [Fact]
    public void Forwarding_headers_appended_on_several_lines_are_one_list()
    {
        Assert.Equal(IPAddress.Parse("198.51.100.1"),
            Resolve(BehindProxies, "10.0.0.1", ("X-Forwarded-For", "203.0.113.66"), ("X-Forwarded-For", "198.51.100.1:5555")));
    }

    [Fact]
    public void X_real_ip_is_used_when_there_is_no_x_forwarded_for()
    {
        Assert.Equal(IPAddress.Parse("2001:db8::7"), Resolve(BehindProxies, "127.0.0.1", ("X-Real-IP", "2001:db8::7")));
    }

    [Fact]
    public void Headers_from_a_peer_that_is_not_a_trusted_proxy_are_ignored()
    {
        Assert.Equal(IPAddress.Parse("192.0.2.10"),
            Resolve(BehindProxies, "192.0.2.10", ("X-Forwarded-For", "198.51.100.1"), ("X-Real-IP", "198.51.100.2")));
    }

    [Fact]
    public void Garbage_in_x_forwarded_for_falls_back_to_the_nearest_valid_hop()
    {
        Assert.Equal(IPAddress.Parse("10.9.9.9"), Resolve(BehindProxies, "127.0.0.1", ("X-Forwarded-For", "junk, 10.9.9.9")));
        Assert.Equal(IPAddress.Parse("127.0.0.1"), Resolve(BehindProxies, "127.0.0.1", ("X-Forwarded-For", "junk")));
    }
}
