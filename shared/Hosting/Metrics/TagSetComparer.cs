using System.Diagnostics.CodeAnalysis;

namespace Certstream.Hosting.Metrics;

/// <summary>
/// Compares stored tag sets with each other and with the tags of an incoming measurement, in any order,
/// without allocating: the key of <see cref="SeriesTable{TSeries}"/>'s alternate lookup.
/// </summary>
internal sealed class TagSetComparer :
    IEqualityComparer<TagSet>,
    IAlternateEqualityComparer<ReadOnlySpan<KeyValuePair<string, object?>>, TagSet>
{
    public static readonly TagSetComparer Instance = new();

    public bool Equals(TagSet? x, TagSet? y)
    {
        if (ReferenceEquals(x, y)) return true;
        if (x is null || y is null || x.Hash != y.Hash || x.Count != y.Count) return false;
        return x.Keys.AsSpan().SequenceEqual(y.Keys) && x.Values.AsSpan().SequenceEqual(y.Values);
    }

    public int GetHashCode([DisallowNull] TagSet obj) => obj.Hash;

    // A measurement repeating a key never matches here (counts differ); it then takes the slow path,
    // where TagSet.Create folds the repeat and the stored series is found — correct, just not allocation-free.
    public bool Equals(ReadOnlySpan<KeyValuePair<string, object?>> alternate, TagSet other)
    {
        if (alternate.Length != other.Count) return false;
        if (alternate.Length > 64) return Equals(TagSet.Create(alternate), other);
        // Each stored key must be matched exactly once, or [a, a] would equal [a, b].
        var matched = 0UL;
        foreach (var tag in alternate)
        {
            var index = other.IndexOf(tag.Key ?? "");
            if (index < 0 || !TagValue.Matches(tag.Value, other.Values[index])) return false;
            matched |= 1UL << index;
        }
        return matched == (alternate.Length == 64 ? ulong.MaxValue : (1UL << alternate.Length) - 1);
    }

    public int GetHashCode(ReadOnlySpan<KeyValuePair<string, object?>> alternate)
    {
        var hash = 0;
        foreach (var tag in alternate)
            hash = unchecked(hash + TagSet.PairHash(TagValue.Hash(tag.Key ?? ""), TagValue.Hash(tag.Value)));
        return hash;
    }

    public TagSet Create(ReadOnlySpan<KeyValuePair<string, object?>> alternate) => TagSet.Create(alternate);
}
