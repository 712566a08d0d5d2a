using System.Collections.Concurrent;
using System.Text;
using NATS.Client.KeyValueStore;
using Microsoft.Extensions.Logging;

namespace Certstream.Ingestor.Leases;

/// <summary>
/// Leases in KV bucket <c>ct_leases</c> (README "NATS subjects"), on NATS.Net's KV: the bucket's max_age is the TTL
/// (nats-server 2.9 has no per-key TTL); Create (expected revision 0) acquires; a CAS Update renews every third of the TTL; a renewal that
/// loses the race (10071) or cannot be made before the lease would expire means the lease is lost; release is a
/// conditional delete. A key still holding this instance's own id (e.g. after a restart under the same id) is taken
/// back with a CAS Update instead of waiting for it to expire.
/// </summary>
internal sealed class KvLogLeases : ILogLeases
{
    private readonly INatsKVStore _bucket;
    private readonly byte[] _owner;
    private readonly TimeSpan _ttl;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<string, Lease> _held = new(StringComparer.Ordinal);

    public KvLogLeases(INatsKVStore bucket, string instanceId, TimeSpan ttl, ILoggerFactory loggers, TimeProvider? time = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(instanceId);
        ArgumentOutOfRangeException.ThrowIfLessThan(ttl, TimeSpan.FromMilliseconds(300));
        _bucket = bucket;
        InstanceId = instanceId;
        _owner = Encoding.UTF8.GetBytes(instanceId);
        _ttl = ttl;
        _logger = loggers.CreateLogger<KvLogLeases>();
        _time = time ?? TimeProvider.System;
    }

    public string InstanceId { get; }

    /// <summary>Keys of the leases held right now.</summary>
    public IReadOnlyCollection<string> Held => [.. _held.Keys];

    private TimeSpan RenewEvery => _ttl / 3;

    public async Task<ILogLease> AcquireAsync(string logKey, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                // NATS.Net holds a request while it reconnects: bound the attempt, so the campaign goes on (and logs) instead.
                using var bounded = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                bounded.CancelAfter(RenewEvery);
                if (await TryTakeAsync(logKey, bounded.Token) is { } revision)
                {
                    var lease = new Lease(this, logKey, revision);
                    _held[logKey] = lease;
                    _logger.LogInformation("log {Log}: lease acquired by {Instance} (revision {Revision})", logKey, InstanceId, revision);
                    return lease;
                }
                if (attempt == 1) _logger.LogInformation("log {Log}: lease held by another ingestor; waiting for it", logKey);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                _logger.LogWarning("log {Log}: lease not acquired ({Error}); retrying", logKey, e.Message);
            }
            // 2.9 has no expiry notification: poll, with jitter so candidates do not move in lockstep.
            await Task.Delay(RenewEvery * (0.5 + Random.Shared.NextDouble()), _time, cancellationToken);
        }
    }

    private async Task<ulong?> TryTakeAsync(string logKey, CancellationToken cancellationToken)
    {
        // Create succeeds on an absent, deleted or expired key (NATS.Net retries over the delete marker).
        var created = await _bucket.TryCreateAsync(logKey, _owner, cancellationToken: cancellationToken);
        if (created.Success) return created.Value;
        if (created.Error is not NatsKVCreateException) throw created.Error;
        var current = await _bucket.TryGetEntryAsync<byte[]>(logKey, cancellationToken: cancellationToken);
        if (!current.Success)
        {
            if (current.Error is NatsKVKeyNotFoundException or NatsKVKeyDeletedException) return null;
            throw current.Error;
        }
        if (current.Value.Value is not { } holder || !holder.AsSpan().SequenceEqual(_owner)) return null;
        return await TryRenewAsync(_bucket, logKey, _owner, current.Value.Revision, cancellationToken);
    }

    /// <summary>A compare-and-set update: the new revision, or null when the key moved on (another ingestor took it).</summary>
    private static async Task<ulong?> TryRenewAsync(INatsKVStore bucket, string logKey, byte[] owner, ulong revision, CancellationToken cancellationToken)
    {
        var updated = await bucket.TryUpdateAsync(logKey, owner, revision, cancellationToken: cancellationToken);
        if (updated.Success) return updated.Value;
        if (updated.Error is NatsKVWrongLastRevisionException) return null;
        throw updated.Error;
    }

    private sealed class Lease : ILogLease
    {
        private readonly KvLogLeases _owner;
        private readonly string _key;
        private readonly CancellationTokenSource _lost = new();
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _renewing;
        private ulong _revision;

        public Lease(KvLogLeases owner, string key, ulong revision)
        {
            _owner = owner;
            _key = key;
            _revision = revision;
            Lost = _lost.Token;
            _renewing = Task.Run(() => RenewLoopAsync(_stop.Token), CancellationToken.None);
        }

        public CancellationToken Lost { get; }

        public async ValueTask DisposeAsync()
        {
            if (_stop.IsCancellationRequested) return;
            await _stop.CancelAsync();
            await _renewing;
            _owner._held.TryRemove(KeyValuePair.Create(_key, this));
            if (!_lost.IsCancellationRequested)
            {
                // Release so another instance need not wait for the TTL; only if still ours (conditional delete).
                try
                {
                    using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                    await ReleaseAsync(timeout.Token);
                    _owner._logger.LogInformation("log {Log}: lease released", _key);
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    _owner._logger.LogInformation("log {Log}: lease not released ({Error}); it expires after its TTL", _key, e.Message);
                }
            }
            _lost.Dispose();
            _stop.Dispose();
        }

        /// <summary>
        /// A conditional delete at the last revision seen. A renewal cancelled by DisposeAsync may still have been
        /// applied by the server, leaving that revision stale: if the key still holds this instance's id, it is ours,
        /// and the delete is made at its current revision.
        /// </summary>
        private async Task ReleaseAsync(CancellationToken cancellationToken)
        {
            var bucket = _owner._bucket;
            try
            {
                await bucket.DeleteAsync(_key, new NatsKVDeleteOpts { Revision = _revision }, cancellationToken);
                return;
            }
            catch (Exception e) when (e is not OperationCanceledException and not OutOfMemoryException)
            {
                // Wrong last revision (10071), most likely: look at who holds the key now.
            }
            var current = await bucket.GetEntryAsync<byte[]>(_key, cancellationToken: cancellationToken);
            if (current.Value is not { } holder || !holder.AsSpan().SequenceEqual(_owner._owner))
                throw new InvalidOperationException("the key no longer holds this instance's id");
            await bucket.DeleteAsync(_key, new NatsKVDeleteOpts { Revision = current.Revision }, cancellationToken);
        }

        private async Task RenewLoopAsync(CancellationToken cancellationToken)
        {
            var time = _owner._time;
            var renewedAt = time.GetUtcNow();
            var wait = _owner.RenewEvery;
            try
            {
                while (true)
                {
                    await Task.Delay(wait, time, cancellationToken);
                    string? loss = null;
                    try
                    {
                        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                        attempt.CancelAfter(_owner.RenewEvery);
                        var renewed = await TryRenewAsync(_owner._bucket, _key, _owner._owner, _revision, attempt.Token);
                        if (renewed is { } revision)
                        {
                            _revision = revision;
                            renewedAt = time.GetUtcNow();
                            wait = _owner.RenewEvery;
                            continue;
                        }
                        loss = "another ingestor took it";
                    }
                    catch (Exception e) when (!cancellationToken.IsCancellationRequested)
                    {
                        // Retry soon; give up while there is still margin before the server ages the key out (its clock decides).
                        if (time.GetUtcNow() - renewedAt < 2 * _owner.RenewEvery)
                        {
                            wait = _owner.RenewEvery / 4;
                            continue;
                        }
                        loss = "renewal failed: " + e.Message;
                    }
                    _owner._held.TryRemove(KeyValuePair.Create(_key, this));
                    _owner._logger.LogWarning("log {Log}: lease lost ({Reason}); stopping the follower", _key, loss);
                    await _lost.CancelAsync();
                    return;
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                // Released by DisposeAsync.
            }
        }
    }
}
