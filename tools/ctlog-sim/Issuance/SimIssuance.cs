namespace Certstream.CtLogSim.Issuance;

/// <summary>The simulator's CAs and leaf keys, and parallel, deterministic issuance of entry ranges.</summary>
internal sealed class SimIssuance
{
    private const int ChunkSize = 256;
    private readonly CtLogSimOptions _options;
    private readonly LeafKeyPool _keys;
    private readonly CrossLogCopies _copies;

    private SimIssuance(CtLogSimOptions options, IReadOnlyList<CertificateAuthority> authorities, LeafKeyPool keys)
    {
        _options = options;
        Authorities = authorities;
        _keys = keys;
        _copies = new CrossLogCopies(options.CrossLogRatio, options.Seed);
    }

    public IReadOnlyList<CertificateAuthority> Authorities { get; }

    public static string OperatorName(int ordinal) => OperatorNameOf(ordinal);

    public static async Task<SimIssuance> CreateAsync(CtLogSimOptions options, CancellationToken cancellationToken)
    {
        // Key generation (RSA primes especially) is the slow part of start-up: do it all at once.
        var keys = Task.Run(() => LeafKeyPool.Create(options.Seed, ecP256: 12, ecP384: 4, rsa2048: 2), cancellationToken);
        var cas = Enumerable.Range(0, options.Operators).Select(i => Task.Run(() =>
            CertificateAuthority.Create(OperatorNameOf(i), i, new SeededRandom(SeededRandom.Mix(options.Seed, 0xca00UL + (ulong)i)), options.CertificateEpoch), cancellationToken)).ToArray();
        await Task.WhenAll(cas).ConfigureAwait(false);
        return new SimIssuance(options, [.. cas.Select(t => t.Result)], await keys.ConfigureAwait(false));
    }

    private static string OperatorNameOf(int i) => $"Sim Operator {(char)('A' + i % 26)}{(i >= 26 ? (i / 26).ToString(System.Globalization.CultureInfo.InvariantCulture) : "")}";

    public CertificateIssuer NewIssuer() => new(_options.Seed, Authorities, _keys, _options.CertificateEpoch, _options.PrecertRatio);

    /// <summary>
    /// Certificates for indexes first..first+count-1 of a log, made in parallel chunks (each chunk its own signing keys),
    /// a share of them then replaced by copies of other logs' certificates (<see cref="CrossLogCopies"/>).
    /// </summary>
    public IssuedCertificate[] IssueRange(int logOrdinal, long first, long count, CancellationToken cancellationToken)
    {
        var result = IssueNew(logOrdinal, first, count, cancellationToken);
        _copies.Apply(logOrdinal, first, result);
        return result;
    }

    private IssuedCertificate[] IssueNew(int logOrdinal, long first, long count, CancellationToken cancellationToken)
    {
        var result = new IssuedCertificate[count];
        var chunks = (int)((count + ChunkSize - 1) / ChunkSize);
        if (chunks == 1)
        {
            using var issuer = NewIssuer();
            for (var i = 0; i < count; i++) result[i] = issuer.Issue(logOrdinal, first + i);
            return result;
        }
        Parallel.For(0, chunks, new ParallelOptions { CancellationToken = cancellationToken }, () => NewIssuer(), (chunk, _, issuer) =>
        {
            var from = (long)chunk * ChunkSize;
            var to = Math.Min(count, from + ChunkSize);
            for (var i = from; i < to; i++) result[i] = issuer.Issue(logOrdinal, first + i);
            return issuer;
        }, issuer => issuer.Dispose());
        return result;
    }
}
