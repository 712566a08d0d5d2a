using System.Text.Json;
using Certstream.TestSupport;

namespace Certstream.EndToEnd.Tests.Harness;

/// <summary>
/// Calidog's npm <c>certstream</c> client (tests/node/certstream-listen.mjs) connected to one stream, run as a
/// node process. Keeps every message it prints and lets a test await entries by (source url, cert_index).
/// Needs <c>npm ci --prefix tests/node</c>.
/// </summary>
internal sealed class CertstreamListener : IDisposable
{
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(30);
    private readonly object _gate = new();
    private readonly List<string> _messages = [];
    private readonly Dictionary<(string Url, long Index), int> _entries = [];
    private readonly Dictionary<string, int> _leaves = new(StringComparer.Ordinal);
    private readonly List<Waiter> _waiters = [];
    private readonly List<string> _malformed = [];
    private ChildProcess _process = null!;

    private CertstreamListener(string name) => Name = name;

    public string Name { get; }

    public ChildProcess Process => _process;

    /// <summary>Every message but heartbeats as the library handed it to the callback (JSON text), in arrival order.</summary>
    public IReadOnlyList<string> Messages
    {
        get { lock (_gate) return [.. _messages]; }
    }

    /// <summary>Printed messages that were not JSON objects (the library would have thrown on them).</summary>
    public IReadOnlyList<string> Malformed
    {
        get { lock (_gate) return [.. _malformed]; }
    }

    public int Count
    {
        get { lock (_gate) return _messages.Count; }
    }

    /// <summary>certificate_update messages received per (data.source.url, data.cert_index).</summary>
    public IReadOnlyDictionary<(string Url, long Index), int> Entries
    {
        get { lock (_gate) return new Dictionary<(string, long), int>(_entries); }
    }

    /// <summary>
    /// certificate_update messages received per leaf: <see cref="LeafKey"/> of <c>update_type</c> and
    /// <c>leaf_cert.sha256</c> (the same certificate logged to several logs has one key).
    /// </summary>
    public IReadOnlyDictionary<string, int> Leaves
    {
        get { lock (_gate) return new Dictionary<string, int>(_leaves, StringComparer.Ordinal); }
    }

    /// <summary>A leaf's key: <c>x509:</c> or <c>precert:</c> and the SHA-256 in upper-case hex without colons.</summary>
    public static string LeafKey(bool precert, string sha256) =>
        (precert ? "precert:" : "x509:") + sha256.Replace(":", "", StringComparison.Ordinal).ToUpperInvariant();

    /// <summary>Starts the client and returns once the library reports the connection established.</summary>
    public static async Task<CertstreamListener> ConnectAsync(string name, Uri url, CancellationToken cancellationToken)
    {
        NodeScripts.RequirePackage("certstream");
        var listener = new CertstreamListener(name);
        listener._process = NodeScripts.Start(name, "certstream-listen.mjs", [url.ToString()], listener.OnLine);
        try
        {
            await listener._process.WaitForLineAsync(l => l.StartsWith("Connection established", StringComparison.Ordinal), ConnectTimeout, cancellationToken);
        }
        catch
        {
            listener.Dispose();
            throw;
        }
        return listener;
    }

    /// <summary>Completes once every one of <paramref name="expected"/> has arrived at least once.</summary>
    public Task WaitForEntriesAsync(IEnumerable<(string Url, long Index)> expected, TimeSpan timeout, CancellationToken cancellationToken)
    {
        Waiter waiter;
        lock (_gate)
        {
            var missing = expected.Where(key => !_entries.ContainsKey(key)).ToHashSet();
            if (missing.Count == 0) return Task.CompletedTask;
            waiter = new Waiter(missing, [], 0);
            _waiters.Add(waiter);
        }
        return AwaitAsync(waiter, timeout, () => $"{waiter.Missing.Count} entries missing, e.g. {string.Join(", ", waiter.Missing.Take(5))}", cancellationToken);
    }

    /// <summary>Completes once a message of every one of <paramref name="expected"/> leaves (<see cref="LeafKey"/>) has arrived.</summary>
    public Task WaitForLeavesAsync(IEnumerable<string> expected, TimeSpan timeout, CancellationToken cancellationToken)
    {
        Waiter waiter;
        lock (_gate)
        {
            var missing = expected.Where(key => !_leaves.ContainsKey(key)).ToHashSet(StringComparer.Ordinal);
            if (missing.Count == 0) return Task.CompletedTask;
            waiter = new Waiter([], missing, 0);
            _waiters.Add(waiter);
        }
        return AwaitAsync(waiter, timeout, () => $"{waiter.MissingLeaves.Count} leaves missing, e.g. {string.Join(", ", waiter.MissingLeaves.Take(5))}", cancellationToken);
    }

    /// <summary>Completes once at least <paramref name="count"/> messages have arrived.</summary>
    public Task WaitForCountAsync(int count, TimeSpan timeout, CancellationToken cancellationToken)
    {
        Waiter waiter;
        lock (_gate)
        {
            if (_messages.Count >= count) return Task.CompletedTask;
            waiter = new Waiter([], [], count);
            _waiters.Add(waiter);
        }
        return AwaitAsync(waiter, timeout, () => $"{Count} of {count} messages", cancellationToken);
    }

    public void Dispose() => _process?.Dispose();

    private async Task AwaitAsync(Waiter waiter, TimeSpan timeout, Func<string> state, CancellationToken cancellationToken)
    {
        try
        {
            await waiter.Done.Task.WaitAsync(timeout, cancellationToken);
        }
        catch (TimeoutException)
        {
            string why;
            lock (_gate)
            {
                _waiters.Remove(waiter);
                why = state();
            }
            throw new TimeoutException($"{Name}: not complete within {timeout}: {why}\n{_process.Tail(5)}");
        }
    }

    private void OnLine(string line)
    {
        if (!line.StartsWith("MESSAGE ", StringComparison.Ordinal)) return;
        var json = line["MESSAGE ".Length..];
        (string, long)? key;
        string? leaf = null;
        try
        {
            using var doc = JsonDocument.Parse(json);
            var root = doc.RootElement;
            var type = root.GetProperty("message_type").GetString();
            if (type == "heartbeat") return;
            key = null;
            if (type == "certificate_update")
            {
                var data = root.GetProperty("data");
                key = (data.GetProperty("source").GetProperty("url").GetString()!, data.GetProperty("cert_index").GetInt64());
                leaf = LeafKey(data.GetProperty("update_type").GetString() == "PrecertLogEntry", data.GetProperty("leaf_cert").GetProperty("sha256").GetString()!);
            }
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            // A line cut short when the process is killed, or a message without the fields clients index into.
            lock (_gate) _malformed.Add(json);
            return;
        }
        lock (_gate)
        {
            _messages.Add(json);
            if (key is { } k) _entries[k] = _entries.GetValueOrDefault(k) + 1;
            if (leaf is not null) _leaves[leaf] = _leaves.GetValueOrDefault(leaf) + 1;
            foreach (var waiter in _waiters.ToList())
            {
                if (key is { } removed) waiter.Missing.Remove(removed);
                if (leaf is not null) waiter.MissingLeaves.Remove(leaf);
                if ((waiter.MinimumCount > 0 && _messages.Count >= waiter.MinimumCount)
                    || (waiter.MinimumCount == 0 && waiter.Missing.Count == 0 && waiter.MissingLeaves.Count == 0))
                {
                    _waiters.Remove(waiter);
                    waiter.Done.TrySetResult();
                }
            }
        }
    }

    private sealed record Waiter(HashSet<(string Url, long Index)> Missing, HashSet<string> MissingLeaves, int MinimumCount)
    {
        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
