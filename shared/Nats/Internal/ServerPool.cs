namespace Certstream.Nats.Internal;

/// <summary>
/// The seed URLs plus every <c>connect_urls</c> entry from INFO, deduplicated by host:port (§1.10). A reconnect pass
/// starts after the server just lost and tries it last.
/// </summary>
internal sealed class ServerPool
{
    private readonly Lock _lock = new();
    private readonly List<Uri> _servers = [];

    public ServerPool(string urls, bool randomize)
    {
        foreach (var part in urls.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            Add(Parse(part));
        if (_servers.Count == 0) throw new ArgumentException("No server URL given", nameof(urls));
        if (randomize && _servers.Count > 1)
        {
            var shuffled = _servers.ToArray();
            Random.Shared.Shuffle(shuffled);
            _servers.Clear();
            _servers.AddRange(shuffled);
        }
    }

    public IReadOnlyList<Uri> Servers
    {
        get
        {
            lock (_lock) return _servers.ToArray();
        }
    }

    /// <summary>Adds discovered "host:port" entries; returns how many were new.</summary>
    public int AddDiscovered(IEnumerable<string> hostPorts, bool tls)
    {
        var added = 0;
        foreach (var hp in hostPorts)
        {
            Uri uri;
            try { uri = Parse((tls ? "tls://" : "nats://") + hp); }
            catch (UriFormatException) { continue; }
            if (Add(uri)) added++;
        }
        return added;
    }

    /// <summary>Every server once, starting after <paramref name="lost"/> and ending with it.</summary>
    public IReadOnlyList<Uri> ReconnectOrder(Uri? lost)
    {
        lock (_lock)
        {
            var index = lost is null ? -1 : _servers.FindIndex(s => SameServer(s, lost));
            var order = new List<Uri>(_servers.Count);
            for (var i = 1; i <= _servers.Count; i++) order.Add(_servers[(index + i + _servers.Count) % _servers.Count]);
            if (index < 0 && lost is not null) order.Add(lost);
            return order;
        }
    }

    /// <summary>True when some pool member other than <paramref name="current"/> exists.</summary>
    public bool HasOtherThan(Uri current)
    {
        lock (_lock) return _servers.Exists(s => !SameServer(s, current));
    }

    private bool Add(Uri uri)
    {
        lock (_lock)
        {
            if (_servers.Exists(s => SameServer(s, uri))) return false;
            _servers.Add(uri);
            return true;
        }
    }

    public static Uri Parse(string url)
    {
        if (!url.Contains("://", StringComparison.Ordinal)) url = "nats://" + url;
        var uri = new Uri(url);
        if (uri.Scheme is not ("nats" or "tls")) throw new UriFormatException($"Unsupported scheme in '{url}': use nats:// or tls://");
        if (uri.IsDefaultPort || uri.Port <= 0)
            uri = new UriBuilder(uri) { Port = 4222 }.Uri;
        return uri;
    }

    private static bool SameServer(Uri a, Uri b) =>
        string.Equals(a.Host, b.Host, StringComparison.OrdinalIgnoreCase) && a.Port == b.Port;
}
