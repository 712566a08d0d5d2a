using System.Collections;

namespace Certstream.Nats;

/// <summary>
/// NATS message headers (ADR-4, §1.6): ordered, multi-valued, case-preserving and case-sensitive keys,
/// ASCII text. Received headers also carry the status line's code and description (e.g. 503, "408 Request Timeout").
/// </summary>
public sealed class NatsHeaders : IEnumerable<KeyValuePair<string, string>>
{
    private readonly List<KeyValuePair<string, string>> _entries = [];

    public NatsHeaders() { }

    internal NatsHeaders(int statusCode, string? statusDescription)
    {
        StatusCode = statusCode;
        StatusDescription = statusDescription;
    }

    /// <summary>Status code from the <c>NATS/1.0 &lt;code&gt;</c> line; 0 when absent.</summary>
    public int StatusCode { get; }

    /// <summary>Text after the status code, e.g. "No Messages"; null when absent.</summary>
    public string? StatusDescription { get; }

    /// <summary>Number of key/value pairs (a key with two values counts twice).</summary>
    public int Count => _entries.Count;

    /// <summary>First value for the key, or null. Setting replaces every value of the key.</summary>
    public string? this[string key]
    {
        get
        {
            foreach (var e in _entries)
                if (string.Equals(e.Key, key, StringComparison.Ordinal)) return e.Value;
            return null;
        }
        set
        {
            Remove(key);
            if (value is not null) Add(key, value);
        }
    }

    /// <summary>Adds a value, keeping existing values of the same key.</summary>
    public void Add(string key, string value)
    {
        ValidateKey(key);
        ValidateValue(value);
        _entries.Add(new(key, value));
    }

    public bool Remove(string key) => _entries.RemoveAll(e => string.Equals(e.Key, key, StringComparison.Ordinal)) > 0;

    public bool ContainsKey(string key) => this[key] is not null;

    /// <summary>Every value of the key, in the order received or added.</summary>
    public IReadOnlyList<string> GetValues(string key)
    {
        var values = new List<string>();
        foreach (var e in _entries)
            if (string.Equals(e.Key, key, StringComparison.Ordinal)) values.Add(e.Value);
        return values;
    }

    public IEnumerator<KeyValuePair<string, string>> GetEnumerator() => _entries.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    // Parser path: already validated by the header parser, skip the checks.
    internal void AddParsed(string key, string value) => _entries.Add(new(key, value));

    /// <summary>Bytes of the serialized block: "NATS/1.0\r\n" + "k: v\r\n"... + "\r\n" (§1.5 #hdr bytes).</summary>
    internal int WireLength
    {
        get
        {
            var n = 10 + 2;
            foreach (var e in _entries) n += e.Key.Length + 2 + e.Value.Length + 2;
            return n;
        }
    }

    /// <summary>Writes the block; <paramref name="dest"/> must hold <see cref="WireLength"/> bytes. Keys and values are ASCII (validated on Add).</summary>
    internal int WriteTo(Span<byte> dest)
    {
        "NATS/1.0\r\n"u8.CopyTo(dest);
        var pos = 10;
        foreach (var e in _entries)
        {
            pos += System.Text.Encoding.ASCII.GetBytes(e.Key, dest[pos..]);
            dest[pos++] = (byte)':';
            dest[pos++] = (byte)' ';
            pos += System.Text.Encoding.ASCII.GetBytes(e.Value, dest[pos..]);
            dest[pos++] = (byte)'\r';
            dest[pos++] = (byte)'\n';
        }
        dest[pos++] = (byte)'\r';
        dest[pos++] = (byte)'\n';
        return pos;
    }

    // Keys are printable ASCII tokens without ':' (ADR-4); values are ASCII without CR/LF.
    private static void ValidateKey(string key)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        foreach (var c in key)
            if (c <= ' ' || c >= 127 || c == ':')
                throw new ArgumentException($"Invalid header key '{key}': printable ASCII without ':' or spaces", nameof(key));
    }

    private static void ValidateValue(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        foreach (var c in value)
            if (c >= 127 || c == '\r' || c == '\n' || (c < ' ' && c != '\t'))
                throw new ArgumentException("Invalid header value: ASCII without CR or LF", nameof(value));
    }
}
