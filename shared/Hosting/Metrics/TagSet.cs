namespace Certstream.Hosting.Metrics;

/// <summary>
/// One series' tags as stored: keys sorted ordinally (tag order does not matter), values as label text,
/// a repeated key keeping its last value.
/// </summary>
internal sealed class TagSet
{
    public static readonly TagSet Empty = new([], [], 0);

    private TagSet(string[] keys, string[] values, int hash)
    {
        Keys = keys;
        Values = values;
        Hash = hash;
    }

    public string[] Keys { get; }
    public string[] Values { get; }
    public int Hash { get; }
    public int Count => Keys.Length;

    public static TagSet Create(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (tags.IsEmpty) return Empty;
        var byKey = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var tag in tags) byKey[tag.Key ?? ""] = TagValue.Format(tag.Value);

        var keys = new string[byKey.Count];
        var values = new string[byKey.Count];
        var hash = 0;
        var i = 0;
        foreach (var (key, value) in byKey)
        {
            keys[i] = key;
            values[i] = value;
            hash = unchecked(hash + PairHash(TagValue.Hash(key), TagValue.Hash(value)));
            i++;
        }
        return new TagSet(keys, values, hash);
    }

    /// <summary>The index of a key, or -1.</summary>
    public int IndexOf(string key)
    {
        // Binary search: keys are sorted, and this runs on the recording path.
        int lo = 0, hi = Keys.Length - 1;
        while (lo <= hi)
        {
            var mid = (lo + hi) >>> 1;
            var order = string.CompareOrdinal(Keys[mid], key);
            if (order == 0) return mid;
            if (order < 0) lo = mid + 1;
            else hi = mid - 1;
        }
        return -1;
    }

    /// <summary>Summing the pairs' hashes makes the set's hash independent of tag order.</summary>
    public static int PairHash(int keyHash, int valueHash) => HashCode.Combine(keyHash, valueHash);
}
