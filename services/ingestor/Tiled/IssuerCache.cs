using System.Collections.Concurrent;

namespace Certstream.Ingestor.Tiled;

/// <summary>
/// Issuer certificates by fingerprint (c2sp.org/static-ct-api issuers): content-addressed and immutable, so one cache
/// serves every tiled log, forever. Concurrent requests for one fingerprint share a single fetch; a
/// failed fetch is forgotten so the next request tries again.
/// </summary>
internal sealed class IssuerCache
{
    private readonly ConcurrentDictionary<string, Task<byte[]>> _issuers = new(StringComparer.Ordinal);

    /// <summary>Issuers fetched and cached.</summary>
    public int Count => _issuers.Values.Count(t => t.IsCompletedSuccessfully);

    public async Task<byte[]> GetAsync(string fingerprint, Func<CancellationToken, Task<byte[]>> fetch, CancellationToken cancellationToken)
    {
        while (true)
        {
            if (_issuers.TryGetValue(fingerprint, out var known))
            {
                try
                {
                    return await known.WaitAsync(cancellationToken);
                }
                catch (Exception) when (!cancellationToken.IsCancellationRequested)
                {
                    // The fetch we waited for failed (or its caller stopped): fetch it ourselves.
                    _issuers.TryRemove(KeyValuePair.Create(fingerprint, known));
                    continue;
                }
            }

            var mine = new TaskCompletionSource<byte[]>(TaskCreationOptions.RunContinuationsAsynchronously);
            if (!_issuers.TryAdd(fingerprint, mine.Task)) continue;
            try
            {
                var der = await fetch(cancellationToken);
                mine.SetResult(der);
                return der;
            }
            catch (Exception e)
            {
                _issuers.TryRemove(KeyValuePair.Create(fingerprint, mine.Task));
                if (e is OperationCanceledException) mine.SetCanceled(CancellationToken.None);
                else mine.SetException(e);
                throw;
            }
        }
    }
}
