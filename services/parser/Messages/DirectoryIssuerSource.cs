namespace Certstream.Parser.Messages;

/// <summary>Issuers stored as <c>&lt;dir&gt;/&lt;lowercase hex sha256&gt;</c> DER files, as a static-ct-api log serves them.</summary>
public sealed class DirectoryIssuerSource(string directory) : IIssuerSource
{
    private readonly Dictionary<string, ReadOnlyMemory<byte>> _cache = new(StringComparer.Ordinal);

    public bool TryGet(ReadOnlySpan<byte> sha256Fingerprint, out ReadOnlyMemory<byte> der)
    {
        var name = Convert.ToHexStringLower(sha256Fingerprint);
        if (!_cache.TryGetValue(name, out der))
        {
            var path = Path.Combine(directory, name);
            der = File.Exists(path) ? File.ReadAllBytes(path) : ReadOnlyMemory<byte>.Empty;
            _cache[name] = der;
        }
        return !der.IsEmpty;
    }
}
