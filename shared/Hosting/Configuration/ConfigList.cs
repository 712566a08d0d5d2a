using System.Collections;
using System.Runtime.CompilerServices;

namespace Certstream.Hosting.Configuration;

/// <summary>
/// An immutable list that compares by its items, so option records holding lists keep value equality
/// (the sample config can be compared with the built-in defaults).
/// </summary>
[CollectionBuilder(typeof(ConfigList), nameof(ConfigList.Create))]
public sealed class ConfigList<T> : IReadOnlyList<T>, IEquatable<ConfigList<T>>
{
    private readonly T[] _items;

    internal ConfigList(T[] items) => _items = items;

    public int Count => _items.Length;

    public T this[int index] => _items[index];

    public IEnumerator<T> GetEnumerator() => ((IEnumerable<T>)_items).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => _items.GetEnumerator();

    public bool Equals(ConfigList<T>? other) =>
        other is not null && _items.AsSpan().SequenceEqual(other._items, EqualityComparer<T>.Default);

    public override bool Equals(object? obj) => Equals(obj as ConfigList<T>);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var item in _items) hash.Add(item);
        return hash.ToHashCode();
    }

    public override string ToString() => "[" + string.Join(", ", _items) + "]";
}

/// <summary>Builds <see cref="ConfigList{T}"/> values, including from collection expressions.</summary>
public static class ConfigList
{
    public static ConfigList<T> Create<T>(ReadOnlySpan<T> items) => new(items.ToArray());

    public static ConfigList<T> From<T>(IEnumerable<T> items) => new([.. items]);
}
