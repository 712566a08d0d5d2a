using System.Collections.Concurrent;

namespace Certstream.Hosting.Metrics;

/// <summary>
/// An instrument's series by tag set. Finding an existing series takes no lock and allocates nothing
/// (alternate lookup on the measurement's tag span); only a new tag set builds a key.
/// </summary>
internal sealed class SeriesTable<TSeries> where TSeries : class
{
    private readonly ConcurrentDictionary<TagSet, TSeries> _series = new(TagSetComparer.Instance);
    private readonly ConcurrentDictionary<TagSet, TSeries>.AlternateLookup<ReadOnlySpan<KeyValuePair<string, object?>>> _byTags;
    private readonly Func<TagSet, TSeries> _create;
    private readonly int _maxSeries;
    private readonly Lazy<TSeries> _overflow;
    private TSeries? _untagged;
    private int _count;

    /// <param name="create">Makes the series of a new tag set (called at most once per stored tag set).</param>
    /// <param name="maxSeries">Above this many tag sets, new ones share one overflow series so that an
    /// unbounded tag (a client address, say) cannot grow memory and the scrape without limit.</param>
    public SeriesTable(Func<TagSet, TSeries> create, int maxSeries)
    {
        _create = create;
        _maxSeries = maxSeries;
        _byTags = _series.GetAlternateLookup<ReadOnlySpan<KeyValuePair<string, object?>>>();
        _overflow = new Lazy<TSeries>(() => create(OverflowTags), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>The label OpenTelemetry uses for the same purpose, so dashboards can look for one name.</summary>
    public static TagSet OverflowTags { get; } = TagSet.Create([new("otel.metric.overflow", "true")]);

    public TSeries Get(ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (tags.IsEmpty) return _untagged ?? GetUntagged();
        if (_byTags.TryGetValue(tags, out var series)) return series;
        return Add(TagSet.Create(tags));
    }

    /// <summary>The stored series; safe to run while measurements arrive (a series added meanwhile may be missed).</summary>
    public IEnumerable<TSeries> Series
    {
        get
        {
            foreach (var pair in _series) yield return pair.Value;
            if (_overflow.IsValueCreated) yield return _overflow.Value;
        }
    }

    private TSeries GetUntagged() => _untagged = Add(TagSet.Empty);

    private TSeries Add(TagSet tags)
    {
        if (Volatile.Read(ref _count) >= _maxSeries && !_series.ContainsKey(tags)) return _overflow.Value;
        var created = false;
        var series = _series.GetOrAdd(tags, key =>
        {
            created = true;
            return _create(key);
        });
        if (created) Interlocked.Increment(ref _count);
        return series;
    }
}
