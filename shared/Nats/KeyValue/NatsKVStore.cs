using System.Globalization;
using System.Runtime.CompilerServices;
using Certstream.Nats.JetStream;

namespace Certstream.Nats.KeyValue;

/// <summary>
/// Key-value operations on a bucket (ADR-8, §4): put, conditional create/update (compare-and-set on the revision),
/// get by direct get, delete and purge markers, keys, history and watch.
/// </summary>
public sealed class NatsKVStore
{
    private readonly NatsJSContext _js;
    private readonly string _stream;
    private readonly string _prefix;

    private NatsKVStore(NatsJSContext js, string bucket)
    {
        _js = js;
        Bucket = bucket;
        _stream = "KV_" + bucket;
        _prefix = "$KV." + bucket + ".";
    }

    public string Bucket { get; }

    /// <summary>Creates (or updates to) the bucket's stream with the settings nats.go uses (§4), then binds to it.</summary>
    public static async Task<NatsKVStore> CreateAsync(NatsJSContext js, NatsKVConfig config, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(js);
        ArgumentNullException.ThrowIfNull(config);
        ValidateBucket(config.Bucket);
        if (config.History is < 1 or > 64) throw new ArgumentOutOfRangeException(nameof(config), "History must be 1..64");
        var twoMinutes = TimeSpan.FromMinutes(2);
        await js.EnsureStreamAsync(new NatsJSStreamConfig
        {
            Name = "KV_" + config.Bucket,
            Description = config.Description,
            Subjects = ["$KV." + config.Bucket + ".>"],
            Retention = NatsJSRetention.Limits,
            MaxConsumers = -1,
            MaxMsgs = -1,
            MaxMsgsPerSubject = config.History,
            MaxBytes = config.MaxBytes,
            MaxAge = config.MaxAge,
            DuplicateWindow = config.MaxAge > TimeSpan.Zero && config.MaxAge < twoMinutes ? config.MaxAge : twoMinutes,
            MaxMsgSize = config.MaxValueSize,
            Storage = config.Storage,
            Discard = NatsJSDiscard.New,
            NumReplicas = 1,
            AllowRollupHdrs = true,
            DenyDelete = true,
            AllowDirect = true,
        }, cancellationToken).ConfigureAwait(false);
        return new NatsKVStore(js, config.Bucket);
    }

    /// <summary>Binds to an existing bucket; throws <see cref="NatsJSApiException"/> (10059) when it does not exist.</summary>
    public static async Task<NatsKVStore> GetAsync(NatsJSContext js, string bucket, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(js);
        ValidateBucket(bucket);
        await js.GetStreamAsync("KV_" + bucket, cancellationToken).ConfigureAwait(false);
        return new NatsKVStore(js, bucket);
    }

    /// <summary>Writes a new revision unconditionally; returns it.</summary>
    public async Task<ulong> PutAsync(string key, ReadOnlyMemory<byte> value, CancellationToken cancellationToken = default)
    {
        ValidateKey(key);
        return (await _js.PublishAsync(_prefix + key, value, cancellationToken: cancellationToken).ConfigureAwait(false)).Seq;
    }

    /// <summary>Writes only if the key has no live value (absent, deleted or purged); else <see cref="NatsKVWrongRevisionException"/>.</summary>
    public async Task<ulong> CreateAsync(string key, ReadOnlyMemory<byte> value, CancellationToken cancellationToken = default)
    {
        ValidateKey(key);
        try
        {
            return await UpdateCoreAsync(key, value, 0, null, cancellationToken).ConfigureAwait(false);
        }
        catch (NatsKVWrongRevisionException)
        {
            // The latest revision may be a DEL/PURGE marker: then the key counts as absent (§4, verified on 2.9.10).
            var latest = await GetLatestAsync(key, cancellationToken).ConfigureAwait(false);
            if (latest is null || latest.Operation == NatsKVOperation.Put) throw;
            return await UpdateCoreAsync(key, value, latest.Revision, null, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Compare-and-set: writes only if the key's latest revision is <paramref name="revision"/>.</summary>
    public Task<ulong> UpdateAsync(string key, ReadOnlyMemory<byte> value, ulong revision, CancellationToken cancellationToken = default)
    {
        ValidateKey(key);
        return UpdateCoreAsync(key, value, revision, null, cancellationToken);
    }

    /// <summary>The latest live value, or null when the key is absent, deleted or purged.</summary>
    public async Task<NatsKVEntry?> GetEntryAsync(string key, CancellationToken cancellationToken = default)
    {
        ValidateKey(key);
        var latest = await GetLatestAsync(key, cancellationToken).ConfigureAwait(false);
        return latest is { Operation: NatsKVOperation.Put } ? latest : null;
    }

    /// <summary>Adds a DEL marker (history is kept); optionally only if the latest revision matches.</summary>
    public Task DeleteAsync(string key, ulong? revision = null, CancellationToken cancellationToken = default)
    {
        ValidateKey(key);
        var headers = new NatsHeaders { { "KV-Operation", "DEL" } };
        return revision is { } r
            ? UpdateCoreAsync(key, default, r, headers, cancellationToken)
            : _js.PublishAsync(_prefix + key, default, headers: headers, cancellationToken: cancellationToken);
    }

    /// <summary>Adds a PURGE marker that rolls up (removes) the key's older revisions.</summary>
    public Task PurgeAsync(string key, ulong? revision = null, CancellationToken cancellationToken = default)
    {
        ValidateKey(key);
        var headers = new NatsHeaders { { "KV-Operation", "PURGE" }, { "Nats-Rollup", "sub" } };
        return revision is { } r
            ? UpdateCoreAsync(key, default, r, headers, cancellationToken)
            : _js.PublishAsync(_prefix + key, default, headers: headers, cancellationToken: cancellationToken);
    }

    /// <summary>
    /// Every current entry matching <paramref name="keys"/> (a key or a wildcard such as <c>leases.*</c> or <c>&gt;</c>), then
    /// each later change, until cancelled. Deletes and purges come through with their <see cref="NatsKVOperation"/>.
    /// Runs on an ephemeral pull consumer (last value per key, no acks).
    /// </summary>
    public async IAsyncEnumerable<NatsKVEntry> WatchAsync(string keys = ">", [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ValidateFilter(keys);
        var consumer = await _js.CreateEphemeralConsumerAsync(_stream, EphemeralConfig(keys, NatsJSDeliverPolicy.LastPerSubject, headersOnly: false), cancellationToken).ConfigureAwait(false);
        var opts = new NatsJSConsumeOpts { MaxMsgs = 256, Expires = TimeSpan.FromSeconds(10), IdleHeartbeat = TimeSpan.FromSeconds(2) };
        try
        {
            await foreach (var msg in _js.ConsumeAsync(_stream, consumer.Name, opts, cancellationToken).ConfigureAwait(false))
                yield return ToEntry(msg);
        }
        finally
        {
            await DeleteQuietlyAsync(consumer.Name).ConfigureAwait(false);
        }
    }

    private async Task DeleteQuietlyAsync(string consumer)
    {
        try { await _js.DeleteConsumerAsync(_stream, consumer, CancellationToken.None).ConfigureAwait(false); }
        catch (NatsException) { } // it expires on its own after the inactive threshold
        catch (ObjectDisposedException) { }
    }

    /// <summary>The keys that currently hold a value.</summary>
    public async Task<IReadOnlyList<string>> GetKeysAsync(CancellationToken cancellationToken = default)
    {
        var keys = new List<string>();
        await foreach (var entry in SnapshotAsync(">", NatsJSDeliverPolicy.LastPerSubject, headersOnly: true, cancellationToken).ConfigureAwait(false))
            if (entry.Operation == NatsKVOperation.Put) keys.Add(entry.Key);
        return keys;
    }

    /// <summary>Every stored revision of the key, oldest first (up to the bucket's history), including markers.</summary>
    public async Task<IReadOnlyList<NatsKVEntry>> GetHistoryAsync(string key, CancellationToken cancellationToken = default)
    {
        ValidateKey(key);
        var entries = new List<NatsKVEntry>();
        await foreach (var entry in SnapshotAsync(key, NatsJSDeliverPolicy.All, headersOnly: false, cancellationToken).ConfigureAwait(false))
            entries.Add(entry);
        return entries;
    }

    // Reads what is stored now: "initial data done" is a message with 0 pending, or nothing pending at creation (§4).
    private async IAsyncEnumerable<NatsKVEntry> SnapshotAsync(string filter, NatsJSDeliverPolicy policy, bool headersOnly, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var consumer = await _js.CreateEphemeralConsumerAsync(_stream, EphemeralConfig(filter, policy, headersOnly), cancellationToken).ConfigureAwait(false);
        try
        {
            if (consumer.NumPending == 0) yield break;
            var opts = new NatsJSConsumeOpts { MaxMsgs = 256, Expires = TimeSpan.FromSeconds(5), IdleHeartbeat = TimeSpan.FromSeconds(1) };
            await foreach (var msg in _js.ConsumeAsync(_stream, consumer.Name, opts, cancellationToken).ConfigureAwait(false))
            {
                yield return ToEntry(msg);
                if (msg.Metadata?.NumPending == 0) yield break;
            }
        }
        finally
        {
            await DeleteQuietlyAsync(consumer.Name).ConfigureAwait(false);
        }
    }

    private NatsJSConsumerConfig EphemeralConfig(string filter, NatsJSDeliverPolicy policy, bool headersOnly) => new()
    {
        DeliverPolicy = policy,
        AckPolicy = NatsJSAckPolicy.None,
        FilterSubject = _prefix + filter,
        HeadersOnly = headersOnly,
        MemStorage = true,
        InactiveThreshold = TimeSpan.FromSeconds(30),
    };

    private NatsKVEntry ToEntry(NatsJSMsg msg)
    {
        var op = msg.Headers?["KV-Operation"] switch
        {
            "DEL" => NatsKVOperation.Delete,
            "PURGE" => NatsKVOperation.Purge,
            _ => NatsKVOperation.Put,
        };
        var meta = msg.Metadata;
        return new NatsKVEntry(Bucket, msg.Subject[_prefix.Length..], msg.Data, meta?.StreamSequence ?? 0, meta?.Timestamp ?? default, op);
    }

    private static void ValidateFilter(string keys)
    {
        ArgumentException.ThrowIfNullOrEmpty(keys);
        foreach (var token in keys.Split('.'))
            if (token is not ("*" or ">")) ValidateKey(token);
    }

    private async Task<ulong> UpdateCoreAsync(string key, ReadOnlyMemory<byte> value, ulong revision, NatsHeaders? headers, CancellationToken cancellationToken)
    {
        try
        {
            var ack = await _js.PublishAsync(_prefix + key, value, new NatsJSPubOpts { ExpectedLastSubjectSequence = revision }, headers, cancellationToken).ConfigureAwait(false);
            return ack.Seq;
        }
        catch (NatsJSApiException e) when (e.ErrCode == 10071)
        {
            throw new NatsKVWrongRevisionException($"{Bucket}/{key}: {e.Description}", e);
        }
    }

    // Direct get of the last message on the key's subject (§3.9): the raw message with Nats-Sequence / Nats-Time-Stamp.
    private async Task<NatsKVEntry?> GetLatestAsync(string key, CancellationToken cancellationToken)
    {
        NatsMsg msg;
        try
        {
            msg = await _js.Connection.RequestAsync($"$JS.API.DIRECT.GET.{_stream}.{_prefix}{key}", default, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (NatsNoRespondersException e)
        {
            throw new NatsJSException("JetStream is not enabled on this server", e);
        }
        if (msg.StatusCode == 404) return null;
        if (msg.StatusCode != 0) throw new NatsJSException(msg.StatusCode, $"Direct get of {Bucket}/{key} failed: {msg.StatusCode} {msg.Headers?.StatusDescription}");
        var h = msg.Headers;
        var revision = ulong.TryParse(h?["Nats-Sequence"], NumberStyles.None, CultureInfo.InvariantCulture, out var seq) ? seq : 0;
        var created = DateTimeOffset.TryParse(h?["Nats-Time-Stamp"], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var ts) ? ts : default;
        var op = h?["KV-Operation"] switch
        {
            "DEL" => NatsKVOperation.Delete,
            "PURGE" => NatsKVOperation.Purge,
            _ => NatsKVOperation.Put,
        };
        return new NatsKVEntry(Bucket, key, msg.Data, revision, created, op);
    }

    private static void ValidateBucket(string bucket)
    {
        ArgumentException.ThrowIfNullOrEmpty(bucket);
        foreach (var c in bucket)
            if (!(char.IsAsciiLetterOrDigit(c) || c is '_' or '-'))
                throw new ArgumentException($"Invalid bucket name '{bucket}': use A-Z, a-z, 0-9, '_' and '-'", nameof(bucket));
    }

    // Keys: [-/_=.A-Za-z0-9]+, no leading or trailing '.' (§4).
    private static void ValidateKey(string key)
    {
        ArgumentException.ThrowIfNullOrEmpty(key);
        if (key[0] == '.' || key[^1] == '.') throw new ArgumentException($"Invalid key '{key}': no leading or trailing '.'", nameof(key));
        foreach (var c in key)
            if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '/' or '_' or '=' or '.'))
                throw new ArgumentException($"Invalid key '{key}': use A-Z, a-z, 0-9 and - / _ = .", nameof(key));
    }
}
