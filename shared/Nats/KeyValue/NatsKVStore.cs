using System.Buffers;
using System.Globalization;
using Certstream.Nats.Internal;
using Certstream.Nats.JetStream;
using Certstream.Nats.JetStream.Internal;

namespace Certstream.Nats.KeyValue;

/// <summary>
/// A KV bucket (§4, ADR-8 as nats.go v1.22 does it): revisions are stream sequences, writes are JetStream publishes with
/// <c>Nats-Expected-Last-Subject-Sequence</c> for compare-and-set, reads are direct gets of the last message on the key's
/// subject. Enough for checkpoints and TTL leases (SPEC §3).
/// </summary>
public sealed class NatsKVStore
{
    private static readonly SearchValues<char> KeyChars = SearchValues.Create("-/_=.ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789");
    private static readonly SearchValues<char> BucketChars = SearchValues.Create("-_ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789");

    private readonly NatsJSContext _js;
    private readonly string _stream;
    private readonly string _subjectPrefix;
    private readonly string _directGetPrefix;
    private readonly bool _allowDirect;

    internal NatsKVStore(NatsJSContext js, string bucket, bool allowDirect)
    {
        _js = js;
        Bucket = bucket;
        _stream = "KV_" + bucket;
        _subjectPrefix = "$KV." + bucket + ".";
        _directGetPrefix = js.ApiSubject("DIRECT.GET." + _stream + "." + _subjectPrefix);
        _allowDirect = allowDirect;
    }

    public string Bucket { get; }

    /// <summary>The latest value, or null when the key has none (never written, deleted, purged or aged out).</summary>
    public async ValueTask<NatsKVEntry?> GetAsync(string key, CancellationToken cancellationToken = default)
    {
        var entry = await GetLatestAsync(key, cancellationToken).ConfigureAwait(false);
        return entry is { Operation: NatsKVOperation.Put } ? entry : null;
    }

    /// <summary>Writes a new revision unconditionally; returns it.</summary>
    public async ValueTask<ulong> PutAsync(string key, ReadOnlyMemory<byte> value, CancellationToken cancellationToken = default)
    {
        ValidateKey(key);
        var ack = await _js.PublishAsync(_subjectPrefix + key, value, cancellationToken: cancellationToken).ConfigureAwait(false);
        return ack.Seq;
    }

    /// <summary>
    /// Writes only if the key has no value; returns the revision. Throws <see cref="NatsKVWrongLastRevisionException"/>
    /// when it has one. A key whose latest revision is a delete or purge marker counts as absent (§4: retry as an update on the marker).
    /// </summary>
    public async ValueTask<ulong> CreateAsync(string key, ReadOnlyMemory<byte> value, CancellationToken cancellationToken = default) =>
        await TryCreateAsync(key, value, cancellationToken).ConfigureAwait(false)
        ?? throw new NatsKVWrongLastRevisionException($"Key '{key}' already exists in bucket '{Bucket}'");

    /// <summary>Like <see cref="CreateAsync"/>, but a present key gives null instead of an exception (e.g. a lease held by another).</summary>
    public async ValueTask<ulong?> TryCreateAsync(string key, ReadOnlyMemory<byte> value, CancellationToken cancellationToken = default)
    {
        ValidateKey(key);
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var created = await TryWriteAsync(key, value, 0, null, cancellationToken).ConfigureAwait(false);
            if (created is not null) return created;
            var latest = await GetLatestAsync(key, cancellationToken).ConfigureAwait(false);
            if (latest is null) continue; // aged out in between: try again from scratch
            if (latest.Operation == NatsKVOperation.Put) return null;
            var overMarker = await TryWriteAsync(key, value, latest.Revision, null, cancellationToken).ConfigureAwait(false);
            if (overMarker is not null) return overMarker;
        }
        return null;
    }

    /// <summary>Compare-and-set: writes only if <paramref name="expectedRevision"/> is still the key's latest. Throws <see cref="NatsKVWrongLastRevisionException"/> otherwise.</summary>
    public async ValueTask<ulong> UpdateAsync(string key, ReadOnlyMemory<byte> value, ulong expectedRevision, CancellationToken cancellationToken = default) =>
        await TryUpdateAsync(key, value, expectedRevision, cancellationToken).ConfigureAwait(false)
        ?? throw new NatsKVWrongLastRevisionException($"Key '{key}' in bucket '{Bucket}' is no longer at revision {expectedRevision}");

    /// <summary>Like <see cref="UpdateAsync"/>, but a lost race gives null (a lease renewal that failed: leadership is lost).</summary>
    public ValueTask<ulong?> TryUpdateAsync(string key, ReadOnlyMemory<byte> value, ulong expectedRevision, CancellationToken cancellationToken = default)
    {
        ValidateKey(key);
        ArgumentOutOfRangeException.ThrowIfZero(expectedRevision);
        return TryWriteAsync(key, value, expectedRevision, null, cancellationToken);
    }

    /// <summary>Writes a delete marker (history kept). With <paramref name="expectedRevision"/> it is conditional (a lease release).</summary>
    public async ValueTask DeleteAsync(string key, ulong? expectedRevision = null, CancellationToken cancellationToken = default)
    {
        ValidateKey(key);
        var headers = new NatsHeaders { ["KV-Operation"] = "DEL" };
        await WriteMarkerAsync(key, headers, expectedRevision, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Writes a purge marker that also removes the key's older revisions (<c>Nats-Rollup: sub</c>).</summary>
    public async ValueTask PurgeAsync(string key, ulong? expectedRevision = null, CancellationToken cancellationToken = default)
    {
        ValidateKey(key);
        var headers = new NatsHeaders { ["KV-Operation"] = "PURGE", ["Nats-Rollup"] = "sub" };
        await WriteMarkerAsync(key, headers, expectedRevision, cancellationToken).ConfigureAwait(false);
    }

    private async ValueTask WriteMarkerAsync(string key, NatsHeaders headers, ulong? expectedRevision, CancellationToken cancellationToken)
    {
        if (expectedRevision is null)
        {
            await _js.PublishAsync(_subjectPrefix + key, ReadOnlyMemory<byte>.Empty, null, headers, cancellationToken).ConfigureAwait(false);
            return;
        }
        if (await TryWriteAsync(key, ReadOnlyMemory<byte>.Empty, expectedRevision.Value, headers, cancellationToken).ConfigureAwait(false) is null)
            throw new NatsKVWrongLastRevisionException($"Key '{key}' in bucket '{Bucket}' is no longer at revision {expectedRevision}");
    }

    // A conditional write; 10071 becomes null (§4 Create/Update).
    private async ValueTask<ulong?> TryWriteAsync(string key, ReadOnlyMemory<byte> value, ulong expected, NatsHeaders? headers, CancellationToken cancellationToken)
    {
        try
        {
            var ack = await _js.PublishAsync(_subjectPrefix + key, value, new NatsJSPubOpts { ExpectedLastSubjectSequence = expected }, headers, cancellationToken).ConfigureAwait(false);
            return ack.Seq;
        }
        catch (NatsJSApiException e) when (e.ErrCode == NatsJSErrorCodes.WrongLastSequence)
        {
            return null;
        }
    }

    // The latest revision including delete/purge markers; null when there is none.
    private async ValueTask<NatsKVEntry?> GetLatestAsync(string key, CancellationToken cancellationToken)
    {
        ValidateKey(key);
        if (!_allowDirect) return await GetViaLeaderAsync(key, cancellationToken).ConfigureAwait(false);
        // Direct get (§3.9): the reply is the stored message itself with Nats-Sequence / Nats-Time-Stamp headers.
        var reply = await _js.Connection.RequestAsync(_directGetPrefix + key, ReadOnlyMemory<byte>.Empty, null, _js.Opts.RequestTimeout, cancellationToken).ConfigureAwait(false);
        var headers = reply.Headers;
        if (reply.StatusCode == 404) return null;
        if (reply.StatusCode != 0 || headers is null)
            throw new NatsJSApiException(reply.StatusCode, 0, headers?.StatusDescription ?? "direct get without headers");
        var revision = ulong.Parse(headers["Nats-Sequence"] ?? throw new NatsJSApiException("direct get without Nats-Sequence"), CultureInfo.InvariantCulture);
        var created = headers["Nats-Time-Stamp"] is { } ts ? Rfc3339NanoConverter.Parse(ts) : default;
        return new NatsKVEntry(Bucket, key, reply.Data, revision, created, OperationOf(headers));
    }

    // STREAM.MSG.GET last_by_subj, for buckets created without allow_direct (§4).
    private async ValueTask<NatsKVEntry?> GetViaLeaderAsync(string key, CancellationToken cancellationToken)
    {
        var body = NatsJSContext.Serialize(new MsgGetRequest { LastBySubject = _subjectPrefix + key }, NatsJSJsonContext.Default.MsgGetRequest);
        try
        {
            var r = await _js.RequestAsync(_js.ApiSubject("STREAM.MSG.GET." + _stream), body, NatsJSJsonContext.Default.MsgGetResponse, cancellationToken).ConfigureAwait(false);
            var m = r.Message ?? throw new NatsJSApiException("STREAM.MSG.GET without a message");
            var headers = m.Headers is { Length: > 0 } h ? HeaderParser.Parse(new ReadOnlySequence<byte>(h)) : null;
            return new NatsKVEntry(Bucket, key, m.Data ?? ReadOnlyMemory<byte>.Empty, m.Seq, m.Time, headers is null ? NatsKVOperation.Put : OperationOf(headers));
        }
        catch (NatsJSApiException e) when (e.ErrCode == NatsJSErrorCodes.NoMessageFound)
        {
            return null;
        }
    }

    private static NatsKVOperation OperationOf(NatsHeaders headers) => headers["KV-Operation"] switch
    {
        "DEL" => NatsKVOperation.Delete,
        "PURGE" => NatsKVOperation.Purge,
        _ => NatsKVOperation.Put,
    };

    /// <summary>Keys match <c>^[-/_=.A-Za-z0-9]+$</c> without a leading or trailing dot (§4).</summary>
    public static bool IsValidKey(string? key) =>
        !string.IsNullOrEmpty(key) && !key.AsSpan().ContainsAnyExcept(KeyChars) && key[0] != '.' && key[^1] != '.';

    internal static void ValidateKey(string key)
    {
        if (!IsValidKey(key)) throw new ArgumentException($"'{key}' is not a valid KV key", nameof(key));
    }

    internal static void ValidateBucket(string bucket)
    {
        if (string.IsNullOrEmpty(bucket) || bucket.AsSpan().ContainsAnyExcept(BucketChars))
            throw new ArgumentException($"'{bucket}' is not a valid bucket name", nameof(bucket));
    }
}
