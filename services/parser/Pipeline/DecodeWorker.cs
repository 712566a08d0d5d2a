using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using Certstream.Contracts;
using Certstream.Parser.Messages;

namespace Certstream.Parser.Pipeline;

/// <summary>
/// One decoding thread's state: its own <see cref="MessageWriter"/> and an output buffer that holds a batch's messages
/// until they are published (the writer's results last only until its next Write).
/// </summary>
internal sealed class DecodeWorker : IDisposable
{
    /// <summary>The log of an entry whose <c>RawEntry</c> and subject name none (README "NATS subjects" <c>ct.rejected.&lt;log&gt;</c>).</summary>
    public const string UnknownLog = "_unknown";

    private const string RawSubjectPrefix = "ct.raw.";

    private readonly MessageWriter _writer = new();
    private readonly ArrayBufferWriter<byte> _output = new(256 * 1024);
    private readonly ParserMetrics _metrics;

    public DecodeWorker(ParserMetrics metrics) => _metrics = metrics;

    /// <summary>The messages of the current batch; <see cref="DecodedEntry.Start"/> indexes into it.</summary>
    public ReadOnlyMemory<byte> Output => _output.WrittenMemory;

    /// <summary>Forgets the previous batch's messages.</summary>
    public void Reset() => _output.ResetWrittenCount();

    /// <summary>Decodes one message of <c>CT_RAW</c> into its three certstream messages, or a rejection (docs/format.md).</summary>
    public DecodedEntry Decode(ReadOnlyMemory<byte> data, string subject, int worker)
    {
        var started = Stopwatch.GetTimestamp();
        var result = DecodeCore(data, subject, worker);
        _metrics.DecodeDuration(Stopwatch.GetElapsedTime(started).TotalSeconds);
        return result;
    }

    public void Dispose() => _writer.Dispose();

    /// <summary><c>ct.raw.&lt;log&gt;</c> → <c>&lt;log&gt;</c> when it is one valid key, else <see cref="UnknownLog"/>.</summary>
    public static string LogOfSubject(string subject)
    {
        if (!subject.StartsWith(RawSubjectPrefix, StringComparison.Ordinal))
            return UnknownLog;
        var log = subject.AsSpan(RawSubjectPrefix.Length);
        return LogKey.IsValid(log) ? log.ToString() : UnknownLog;
    }

    private DecodedEntry DecodeCore(ReadOnlyMemory<byte> data, string subject, int worker)
    {
        if (!RawEntryCodec.TryRead(data, out var raw, out var error))
            return DecodedEntry.Rejected(LogOfSubject(subject), $"RawEntry {error.Kind}: {error.Message}");

        EntryRejection rejection;
        try
        {
            rejection = _writer.Write(raw);
        }
#pragma warning disable CA1031 // A decoder bug on one entry must cost that entry, not the batch (STYLE: errors are values at the edges).
        catch (Exception e)
#pragma warning restore CA1031
        {
            return DecodedEntry.Rejected(raw.Log, $"DecoderFault: {e.GetType().Name}: {e.Message}");
        }
        if (rejection != EntryRejection.None)
        {
            var reason = rejection == EntryRejection.MalformedLeafInput ? $"{rejection}: {_writer.LeafRejection}" : rejection.ToString();
            return DecodedEntry.Rejected(raw.Log, reason);
        }

        var start = _output.WrittenCount;
        _output.Write(_writer.Full.Span);
        _output.Write(_writer.Lite.Span);
        _output.Write(_writer.Domains.Span);
        return new DecodedEntry(raw.Log, worker, start, _writer.Full.Length, _writer.Lite.Length, _writer.Domains.Length, _writer.IsPrecert, null,
            _writer.NormalizedUrl, FilterHeaders.DomainsOfDomainsMessage(_writer.Domains.Span),
            _writer.Seen.ToString("R", CultureInfo.InvariantCulture),
            (_writer.IsPrecert ? "precert:" : "x509:") + Convert.ToHexStringLower(_writer.LeafHash), raw.Index);
    }
}
