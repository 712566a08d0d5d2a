using System.Diagnostics.CodeAnalysis;

namespace Certstream.Parser.Messages;

/// <summary>
/// The rendered JSON of recently seen chain certificates, keyed by their DER. A live stream carries few
/// distinct intermediates, so a chain element costs a lookup and a copy instead of a decode and two hashes.
/// Bounded: when full it starts over, which is cheap and keeps memory flat.
/// </summary>
internal sealed class ChainElementCache(int capacity = 2048)
{
    private readonly Dictionary<byte[], byte[]> _rendered = new(DerComparer.Instance);

    public bool TryGet(ReadOnlySpan<byte> der, [NotNullWhen(true)] out byte[]? json) =>
        _rendered.GetAlternateLookup<ReadOnlySpan<byte>>().TryGetValue(der, out json);

    public byte[] Add(ReadOnlySpan<byte> der, ReadOnlySpan<byte> json)
    {
        if (_rendered.Count >= capacity)
            _rendered.Clear();
        var stored = json.ToArray();
        _rendered[der.ToArray()] = stored;
        return stored;
    }

    private sealed class DerComparer : IEqualityComparer<byte[]>, IAlternateEqualityComparer<ReadOnlySpan<byte>, byte[]>
    {
        public static readonly DerComparer Instance = new();

        public bool Equals(byte[]? x, byte[]? y) => x.AsSpan().SequenceEqual(y);

        public int GetHashCode(byte[] obj) => GetHashCode(obj.AsSpan());

        public bool Equals(ReadOnlySpan<byte> alternate, byte[] other) => alternate.SequenceEqual(other);

        public int GetHashCode(ReadOnlySpan<byte> alternate)
        {
            var hash = new HashCode();
            hash.AddBytes(alternate);
            return hash.ToHashCode();
        }

        public byte[] Create(ReadOnlySpan<byte> alternate) => alternate.ToArray();
    }
}
