using System.Security.Cryptography;
using System.Text;
using Certstream.CtLogSim.Issuance;

namespace Certstream.CtLogSim.Logs;

internal enum LogKind { Rfc6962, StaticCt }

/// <summary>
/// One log's state: its entries, its Merkle tree and its current signed head. Appends and reads
/// take one lock; the HTTP side copies what it needs out under it and encodes outside.
/// </summary>
internal sealed class SimulatedLog : IDisposable
{
    public const int TileWidth = 256;

    private readonly Lock _lock = new();
    private readonly List<LogEntry> _entries = [];
    private readonly List<int> _served = [];
    private readonly MerkleTree _tree = new();
    private readonly ECDsa _signingKey;
    private readonly TimeProvider _time;
    private SignedTreeHead? _head;
    private string? _headOrigin;
    // Misbehaviour asked for by a test (/_sim/misbehave): heads whose signature does not verify, and a forked tree served
    // instead of the real one (its leaf 0 differs, so none of its heads is consistent with an earlier real head).
    private bool _badSignature;
    private MerkleTree? _forked;
    private (bool BadSignature, bool Forked) _headMisbehaviour;
    private TaskCompletionSource _grown = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public SimulatedLog(string name, LogKind kind, int ordinal, int batchCap, string operatorName, ECParameters signingKey, FaultInjector faults, TimeProvider time)
    {
        Name = name;
        Kind = kind;
        Ordinal = ordinal;
        BatchCap = batchCap;
        OperatorName = operatorName;
        Faults = faults;
        _time = time;
        _signingKey = ECDsa.Create(signingKey);
        PublicKey = _signingKey.ExportSubjectPublicKeyInfo();
        LogId = SHA256.HashData(PublicKey);
    }

    public string Name { get; }
    public LogKind Kind { get; }
    public int Ordinal { get; }

    /// <summary>get-entries maximum (RFC 6962 logs only).</summary>
    public int BatchCap { get; }
    public string OperatorName { get; }
    public byte[] PublicKey { get; }
    public byte[] LogId { get; }
    public FaultInjector Faults { get; }

    /// <summary>Serializes generate-then-append, so the index an entry was generated for is the index it gets.</summary>
    public SemaphoreSlim AppendGate { get; } = new(1, 1);

    /// <summary>Checkpoint origin: the submission prefix without scheme and trailing slash; set once the port is known.</summary>
    public string Origin { get; set; } = "";

    public long TreeSize
    {
        get { lock (_lock) return _entries.Count; }
    }

    public void Append(IReadOnlyList<IssuedCertificate> certificates)
    {
        TaskCompletionSource grown;
        lock (_lock)
        {
            var now = _time.GetUtcNow().ToUnixTimeMilliseconds();
            var last = _entries.Count > 0 ? _entries[^1].Timestamp : 0;
            var timestamp = Math.Max(now, last);
            foreach (var cert in certificates)
            {
                var entry = new LogEntry(_entries.Count, timestamp, cert, Kind == LogKind.StaticCt);
                _entries.Add(entry);
                _served.Add(0);
                _tree.Append(entry.LeafHash);
                _forked?.Append(_forked.Size == 0 ? ForkedLeafHash(entry.LeafHash) : entry.LeafHash);
            }
            grown = _grown;
            _grown = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
        grown.TrySetResult();
    }

    public async Task<long> WaitForTreeSizeAsync(long size, CancellationToken cancellationToken)
    {
        while (true)
        {
            Task grown;
            lock (_lock)
            {
                if (_entries.Count >= size) return _entries.Count;
                grown = _grown.Task;
            }
            await grown.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    public LogEntry[] Entries(long start, long endInclusive)
    {
        lock (_lock)
        {
            var end = Math.Min(endInclusive, _entries.Count - 1L);
            if (start < 0 || start > end) return [];
            return [.. _entries.GetRange((int)start, (int)(end - start + 1))];
        }
    }

    /// <summary>Counts entries start..start+count-1 as delivered (called once an answer holding them was fully sent).</summary>
    public void MarkServed(long start, int count)
    {
        lock (_lock)
        {
            for (var i = 0; i < count; i++) _served[(int)start + i]++;
        }
    }

    public int[] ServedCounts(long start, int count)
    {
        lock (_lock) return [.. _served.GetRange((int)start, count)];
    }

    /// <summary>Serve heads whose signature does not verify (one bit of the ECDSA signature flipped) while on.</summary>
    public bool BadSignature
    {
        get { lock (_lock) return _badSignature; }
        set { lock (_lock) _badSignature = value; }
    }

    /// <summary>Refuse every consistency proof (get-sth-consistency and hash tiles answer 404) while on.</summary>
    public bool NoProofs
    {
        get => Volatile.Read(ref _noProofs);
        set => Volatile.Write(ref _noProofs, value);
    }

    private bool _noProofs;

    public bool Forked
    {
        get { lock (_lock) return _forked is not null; }
    }

    /// <summary>From now on serve (heads, hash tiles, proofs) a tree whose leaf 0 differs: the next head is inconsistent with every earlier one.</summary>
    public void Fork()
    {
        lock (_lock)
        {
            if (_forked is not null) return;
            _forked = _entries.Count == 0 ? new MerkleTree() : _tree.WithLeaf(0, ForkedLeafHash(_entries[0].LeafHash));
        }
    }

    /// <summary>The current head, re-signed only when the tree has grown (a real log's STH is stable between publications).</summary>
    public SignedTreeHead CurrentHead()
    {
        lock (_lock)
        {
            // The origin is only known once the port is; a head cached before that must not be reused.
            var misbehaviour = (_badSignature, _forked is not null);
            if (_head is { } head && head.TreeSize == _entries.Count && _headOrigin == Origin && _headMisbehaviour == misbehaviour) return head;
            _headOrigin = Origin;
            _headMisbehaviour = misbehaviour;
            var size = _entries.Count;
            var root = ServedTree.Root(size);
            var last = size > 0 ? _entries[^1].Timestamp : 0;
            var timestamp = Math.Max(_time.GetUtcNow().ToUnixTimeMilliseconds(), last);
            var signature = SignTreeHead(timestamp, size, root);
            if (_badSignature) signature[^1] ^= 0x01; // Still a well-formed DigitallySigned, but not a valid signature.
            _head = new SignedTreeHead(size, timestamp, root, signature, Checkpoint(size, timestamp, root, signature));
            return _head;
        }
    }

    /// <summary>RFC 6962 §2.1.2 consistency proof between two sizes of the served tree, or null when a size is out of range.</summary>
    public List<byte[]>? ConsistencyProof(long first, long second)
    {
        lock (_lock)
        {
            if (first < 0 || first > second || second > _entries.Count) return null;
            return ServedTree.ConsistencyProof(first, second);
        }
    }

    /// <summary>Hashes of a Merkle tile (level ≥ 0), or null when the tile does not exist at this size.</summary>
    public byte[]? HashTile(int level, long index, int width)
    {
        lock (_lock)
        {
            var available = AvailableWidth(level, index);
            var count = width == 0 ? TileWidth : width;
            if (available < count) return null;
            var result = new byte[count * 32];
            for (var i = 0; i < count; i++)
                ServedTree.Node(8 * level, index * TileWidth + i)!.CopyTo(result, i * 32);
            return result;
        }
    }

    public LogEntry[]? DataTile(long index, int width)
    {
        lock (_lock)
        {
            var count = width == 0 ? TileWidth : width;
            if (AvailableWidth(0, index) < count) return null;
            return [.. _entries.GetRange((int)(index * TileWidth), count)];
        }
    }

    private MerkleTree ServedTree => _forked ?? _tree;

    private static byte[] ForkedLeafHash(byte[] leafHash) => SHA256.HashData([.. "fork"u8, .. leafHash]);

    // How many complete level-`level` hashes tile `index` holds at the current size (c2sp.org/tlog-tiles).
    private long AvailableWidth(int level, long index)
    {
        if (level is < 0 or > 5) return 0;
        var nodes = (long)_entries.Count >> (8 * level);
        return Math.Clamp(nodes - index * TileWidth, 0, TileWidth);
    }

    private byte[] SignTreeHead(long timestamp, long size, byte[] root)
    {
        // RFC 6962 §3.5: version v1, signature_type tree_hash, timestamp, tree_size, sha256_root_hash.
        var input = new byte[50];
        input[0] = 0;
        input[1] = 1;
        Tls.WriteUInt64(input.AsSpan(2), timestamp);
        Tls.WriteUInt64(input.AsSpan(10), size);
        root.CopyTo(input, 18);
        var der = _signingKey.SignData(input, HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
        // TLS DigitallySigned: hash sha256 (4), signature ecdsa (3), 2-byte length.
        var result = new byte[4 + der.Length];
        result[0] = 4;
        result[1] = 3;
        Tls.WriteUInt16(result.AsSpan(2), der.Length);
        der.CopyTo(result, 4);
        return result;
    }

    private string Checkpoint(long size, long timestamp, byte[] root, byte[] digitallySigned)
    {
        if (Kind != LogKind.StaticCt) return "";
        var origin = _headOrigin ?? "";
        // Key ID per static-ct-api: SHA-256(key name ‖ 0x0A ‖ 0x05 ‖ LogID)[:4]; signature = timestamp ‖ DigitallySigned.
        var keyIdInput = new byte[Encoding.UTF8.GetByteCount(origin) + 2 + 32];
        var n = Encoding.UTF8.GetBytes(origin, keyIdInput);
        keyIdInput[n] = 0x0A;
        keyIdInput[n + 1] = 0x05;
        LogId.CopyTo(keyIdInput, n + 2);
        var keyId = SHA256.HashData(keyIdInput).AsSpan(0, 4);
        var sig = new byte[4 + 8 + digitallySigned.Length];
        keyId.CopyTo(sig);
        Tls.WriteUInt64(sig.AsSpan(4), timestamp);
        digitallySigned.CopyTo(sig, 12);
        return $"{origin}\n{size}\n{Convert.ToBase64String(root)}\n\n\u2014 {origin} {Convert.ToBase64String(sig)}\n";
    }

    public void Dispose()
    {
        _signingKey.Dispose();
        AppendGate.Dispose();
    }
}
