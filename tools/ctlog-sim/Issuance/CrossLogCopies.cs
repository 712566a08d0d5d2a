namespace Certstream.CtLogSim.Issuance;

/// <summary>
/// Certificates logged to more than one log, as CAs do (a precertificate and its certificate typically go to 2–4 logs):
/// recently issued certificates wait here, and a share of every log's new entries (<c>--cross-log-ratio</c>) take one
/// that another log issued instead of a new one, the same bytes. Each certificate is copied at most
/// <see cref="MaxCopies"/> times, so it ends up in at most three logs. Which copy lands where depends on timing, so with
/// a ratio above zero a seed no longer fixes each log's content.
/// </summary>
internal sealed class CrossLogCopies(double ratio, ulong seed)
{
    public const int MaxCopies = 2;
    private const int Capacity = 10_000;

    private readonly Lock _lock = new();
    private readonly LinkedList<Candidate> _waiting = new();

    /// <summary>Replaces a share of <paramref name="issued"/> (entries <paramref name="first"/>… of the log) with copies from other logs, then offers the rest for copying.</summary>
    public void Apply(int logOrdinal, long first, IssuedCertificate[] issued)
    {
        if (ratio <= 0) return;
        lock (_lock)
        {
            for (var i = 0; i < issued.Length; i++)
            {
                var rng = new SeededRandom(SeededRandom.Mix(SeededRandom.Mix(seed ^ 0xc0c0UL, (ulong)logOrdinal + 1), (ulong)(first + i)));
                if (rng.Chance(ratio) && TakeFromAnotherLog(logOrdinal) is { } copy)
                {
                    issued[i] = copy;
                    continue;
                }
                _waiting.AddLast(new Candidate(logOrdinal, issued[i]));
                if (_waiting.Count > Capacity) _waiting.RemoveFirst();
            }
        }
    }

    private IssuedCertificate? TakeFromAnotherLog(int logOrdinal)
    {
        for (var node = _waiting.First; node is not null; node = node.Next)
        {
            var candidate = node.Value;
            if (candidate.Logs.Contains(logOrdinal)) continue;
            candidate.Logs.Add(logOrdinal);
            if (candidate.Logs.Count > MaxCopies) _waiting.Remove(node);
            return candidate.Certificate;
        }
        return null;
    }

    private sealed class Candidate(int logOrdinal, IssuedCertificate certificate)
    {
        public IssuedCertificate Certificate { get; } = certificate;

        /// <summary>The logs that hold it already.</summary>
        public HashSet<int> Logs { get; } = [logOrdinal];
    }
}
