using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Text.Json;
using Certstream.TestSupport;

namespace Certstream.Ingestor.Tests.Support;

/// <summary>
/// The state of one fake RFC 6962 log served by <see cref="FakeCtLogServer"/>. Entry i is the real x509 entry
/// 380000004 of Argon2027h1 (fixture) with its timestamp replaced by i, so every index has distinct bytes and
/// a misplaced entry is detectable.
/// </summary>
internal sealed class FakeRfc6962Log(string name, ulong treeSize)
{
    private static readonly Lazy<(byte[] Leaf, byte[] Extra)> Template = new(LoadTemplate);
    private long _treeSize = (long)treeSize;

    public string Name { get; } = name;
    public ulong TreeSize
    {
        get => (ulong)Interlocked.Read(ref _treeSize);
        set => Interlocked.Exchange(ref _treeSize, (long)value);
    }

    /// <summary>Most entries one answer holds.</summary>
    public int Cap { get; init; } = 32;
    /// <summary>Trillian's align_getentries: cut answers back to the next multiple of <see cref="Cap"/>.</summary>
    public bool Aligned { get; init; } = true;
    /// <summary>Added before every get-entries answer (paces a log so a test can stop the ingestor mid-stream).</summary>
    public TimeSpan EntriesDelay { get; init; }
    /// <summary>Every get-entries answer waits for this task (hold the log's entries back while its tree grows).</summary>
    public Task EntriesHeld { get; set; } = Task.CompletedTask;
    /// <summary>Answer 404 to everything (a log that was shut down or a wrong URL).</summary>
    public bool Down { get; init; }

    public ConcurrentQueue<Fault> EntriesFaults { get; } = new();

    /// <summary>Share of get-entries answers (besides <see cref="EntriesFaults"/>) replaced by a random quick fault.</summary>
    public double FaultRate { get; init; }

    private static readonly Fault[] RandomFaults =
    [
        Fault.Http(500), Fault.Http(503, "0"), Fault.Http(429, "0"), new(FaultKind.TruncatedJson), new(FaultKind.Garbage),
        new(FaultKind.MalformedEntry), Fault.ShortAnswer(3),
    ];

    /// <summary>The next scripted fault, else a random one at <see cref="FaultRate"/>, else null.</summary>
    public Fault? NextFault()
    {
        if (EntriesFaults.TryDequeue(out var scripted)) return scripted;
        return FaultRate > 0 && Random.Shared.NextDouble() < FaultRate ? RandomFaults[Random.Shared.Next(RandomFaults.Length)] : null;
    }
    public ConcurrentQueue<(DateTimeOffset At, ulong Start, ulong End, string Served)> EntriesRequests { get; } = new();
    public CountSignal SthRequests { get; } = new();

    public static byte[] LeafFor(ulong index)
    {
        var leaf = (byte[])Template.Value.Leaf.Clone();
        BinaryPrimitives.WriteUInt64BigEndian(leaf.AsSpan(2), index);
        return leaf;
    }

    public static byte[] ExtraData => Template.Value.Extra;

    private static (byte[] Leaf, byte[] Extra) LoadTemplate()
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(RepoPaths.Fixture("rfc6962", "argon2027h1_get-entries_380000003-380000004.json")));
        var x509 = document.RootElement.GetProperty("entries")[1];
        return (x509.GetProperty("leaf_input").GetBytesFromBase64(), x509.GetProperty("extra_data").GetBytesFromBase64());
    }
}
