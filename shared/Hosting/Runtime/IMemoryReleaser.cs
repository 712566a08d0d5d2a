namespace Certstream.Hosting.Runtime;

/// <summary>
/// A cache of reusable memory (pooled buffers) that a service registers so that <see cref="MemoryTrimmer"/> empties it
/// before it collects: what the cache let go of is then returned with the rest.
/// </summary>
public interface IMemoryReleaser
{
    /// <summary>Drops what is cached and not in use; returns about how many bytes that was.</summary>
    long Release();

    /// <summary>About how many bytes are cached and not in use now: the trimmer counts them as memory it could give back.</summary>
    long RetainedBytes => 0;
}
