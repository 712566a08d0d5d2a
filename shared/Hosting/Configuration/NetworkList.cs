using System.Net;

namespace Certstream.Hosting.Configuration;

/// <summary>A set of IPs and CIDR ranges from the config (the edge's whitelist and trusted_proxies, prometheus.whitelist).</summary>
public sealed class NetworkList
{
    private readonly IPNetwork[] _networks;

    private NetworkList(IPNetwork[] networks) => _networks = networks;

    public bool IsEmpty => _networks.Length == 0;

    /// <summary>
    /// The config's parsed ranges (the loader has already masked host bits, so <c>127.0.0.1/8</c> is <c>127.0.0.0/8</c>).
    /// An IPv4-mapped IPv6 range would never match, as clients are compared as IPv4 (<see cref="Canonical"/>), so it
    /// stops start-up: throws <see cref="ArgumentException"/> naming <paramref name="key"/>.
    /// </summary>
    public static NetworkList From(IEnumerable<IPNetwork> networks, string key)
    {
        var list = networks.ToArray();
        foreach (var network in list)
        {
            if (network.BaseAddress.IsIPv4MappedToIPv6)
                throw new ArgumentException($"{key}: '{network}' is an IPv4-mapped range; write it as IPv4");
        }
        return new NetworkList(list);
    }

    public bool Contains(IPAddress address)
    {
        address = Canonical(address);
        foreach (var network in _networks)
        {
            if (network.Contains(address)) return true;
        }
        return false;
    }

    /// <summary>IPv4 seen through a dual-stack socket (::ffff:a.b.c.d) is compared as IPv4.</summary>
    public static IPAddress Canonical(IPAddress address) =>
        address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
}
