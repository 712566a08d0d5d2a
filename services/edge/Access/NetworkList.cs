using System.Net;

namespace Certstream.Edge;

/// <summary>A set of IPs and CIDR ranges from the config (whitelist, trusted_proxies).</summary>
internal sealed class NetworkList
{
    private readonly IPNetwork[] _networks;

    private NetworkList(IPNetwork[] networks) => _networks = networks;

    public bool IsEmpty => _networks.Length == 0;

    /// <summary>
    /// Parses entries like <c>10.0.0.0/8</c>, <c>::1</c> or <c>127.0.0.1/8</c> (host bits are ignored, as in
    /// certstream-server-go's sample config). Throws <see cref="ArgumentException"/> naming <paramref name="key"/>.
    /// </summary>
    public static NetworkList Parse(IEnumerable<string> entries, string key)
    {
        var networks = new List<IPNetwork>();
        foreach (var raw in entries)
        {
            var entry = raw.Trim();
            var slash = entry.IndexOf('/', StringComparison.Ordinal);
            var addressPart = slash < 0 ? entry : entry[..slash];
            if (!IPAddress.TryParse(addressPart, out var address))
                throw new ArgumentException($"{key}: '{raw}' is not an IP address or CIDR range");
            address = Canonical(address);
            var maxPrefix = address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128;
            var prefix = maxPrefix;
            if (slash >= 0 && (!int.TryParse(entry.AsSpan(slash + 1), System.Globalization.NumberStyles.None,
                    System.Globalization.CultureInfo.InvariantCulture, out prefix) || prefix > maxPrefix))
                throw new ArgumentException($"{key}: '{raw}' has an invalid prefix length");
            networks.Add(new IPNetwork(Mask(address, prefix), prefix));
        }
        return new NetworkList([.. networks]);
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

    private static IPAddress Mask(IPAddress address, int prefix)
    {
        var bytes = address.GetAddressBytes();
        for (var i = 0; i < bytes.Length; i++)
        {
            var keep = Math.Clamp(prefix - (i * 8), 0, 8);
            bytes[i] &= (byte)(0xFF << (8 - keep));
        }
        return new IPAddress(bytes);
    }
}
