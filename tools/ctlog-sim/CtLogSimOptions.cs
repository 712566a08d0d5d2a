namespace Certstream.CtLogSim;

/// <summary>How the simulator is laid out and behaves. Every log gets the same growth; faults can differ per log.</summary>
internal sealed record CtLogSimOptions
{
    /// <summary>Address Kestrel binds; 0 = a free port chosen by the OS (tests).</summary>
    public string Host { get; init; } = "127.0.0.1";

    /// <summary>
    /// The base URL the log list advertises, when clients reach the simulator under another name than the
    /// one it listens on (e.g. <c>http://ctlog-sim:8090</c> inside a compose network). Null: the listening address.
    /// </summary>
    public Uri? PublicUrl { get; init; }
    public int Port { get; init; }

    public int Rfc6962Logs { get; init; } = 2;
    public int TiledLogs { get; init; } = 2;

    /// <summary>Log operators; each runs a CA (root + intermediate) and owns logs round-robin.</summary>
    public int Operators { get; init; } = 2;

    /// <summary>get-entries caps of the RFC 6962 logs, assigned round-robin (Google 32, DigiCert/Sectigo 256, Cloudflare 1024).</summary>
    public IReadOnlyList<int> BatchCaps { get; init; } = [32, 256, 1024];

    public long InitialSize { get; init; }

    /// <summary>Entries per second per log; 0 = static (grow only through <see cref="CtLogSimulator.AppendAsync"/>).</summary>
    public double EntriesPerSecond { get; init; }

    /// <summary>Extra entries added at once every <see cref="BurstInterval"/> (0 = no bursts).</summary>
    public int BurstSize { get; init; }
    public TimeSpan BurstInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>How often growth is applied; entries due since the last tick are added together.</summary>
    public TimeSpan GrowthTick { get; init; } = TimeSpan.FromMilliseconds(100);

    public ulong Seed { get; init; } = 1;
    public double PrecertRatio { get; init; } = 0.6;

    /// <summary>Share of each log's entries that are copies of a certificate another log holds too (0 = every entry its own certificate).</summary>
    public double CrossLogRatio { get; init; }

    /// <summary>Certificates' notBefore values lie within 60 days after this instant (fixed so a seed means fixed content).</summary>
    public DateTimeOffset CertificateEpoch { get; init; } = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

    public FaultOptions Faults { get; init; } = FaultOptions.None;

    /// <summary>Logs (by name) that serve heads whose signature does not verify from the start (the CLI's --bad-signature).</summary>
    public IReadOnlySet<string> BadSignatureLogs { get; init; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>Per-log fault settings by log name, overriding <see cref="Faults"/>.</summary>
    public IReadOnlyDictionary<string, FaultOptions> LogFaults { get; init; } = new Dictionary<string, FaultOptions>();

    /// <summary>
    /// Log-list state per log name (pending, qualified, usable, readonly, retired, rejected); default usable.
    /// Readonly and retired logs do not grow by themselves; readonly ones list their final_tree_head.
    /// </summary>
    public IReadOnlyDictionary<string, string> LogStates { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// Give operators that run only tiled logs the retired RFC 6962 placeholder real lists carry
    /// ("Bogus placeholder log to unbreak misbehaving CT libraries", https://ct.example.com/bogus/).
    /// </summary>
    public bool BogusPlaceholders { get; init; } = true;

    public static IReadOnlyList<string> KnownStates { get; } = ["pending", "qualified", "usable", "readonly", "retired", "rejected"];

    public string StateOf(string log) => LogStates.GetValueOrDefault(log, "usable");

    /// <summary>Serve data tiles gzip'd to clients that accept gzip (static-ct-api says SHOULD).</summary>
    public bool GzipDataTiles { get; init; } = true;

    /// <summary>Write ASP.NET Core's request logging to the console (the CLI's --verbose).</summary>
    public bool ConsoleLogging { get; init; }
}

/// <summary>Probability per request of each fault (they are exclusive: their sum must be ≤ 1).</summary>
internal sealed record FaultOptions
{
    public static FaultOptions None { get; } = new();

    public double RateLimited { get; init; }
    public double RateLimitedWithoutRetryAfter { get; init; }
    public double ServerError { get; init; }
    public double Unavailable { get; init; }
    public double Slow { get; init; }

    /// <summary>get-entries only: fewer entries than the cap rule allows (at least one).</summary>
    public double Truncated { get; init; }

    /// <summary>Half the body is sent, then the connection is aborted.</summary>
    public double Dropped { get; init; }

    /// <summary>200 with a body that is not what the endpoint promises (JSON endpoints and the checkpoint).</summary>
    public double Garbage { get; init; }

    public TimeSpan SlowDelay { get; init; } = TimeSpan.FromSeconds(1.5);
    public int RetryAfterSeconds { get; init; } = 1;

    public double Total => RateLimited + RateLimitedWithoutRetryAfter + ServerError + Unavailable + Slow + Truncated + Dropped + Garbage;

    /// <summary>A total rate spread evenly over every kind (the CLI's --fault-rate).</summary>
    public static FaultOptions Uniform(double totalRate)
    {
        var each = totalRate / 8;
        return new FaultOptions
        {
            RateLimited = each, RateLimitedWithoutRetryAfter = each, ServerError = each, Unavailable = each,
            Slow = each, Truncated = each, Dropped = each, Garbage = each,
        };
    }
}

internal enum FaultKind
{
    None,
    RateLimited,
    RateLimitedWithoutRetryAfter,
    ServerError,
    Unavailable,
    Slow,
    Truncated,
    Dropped,
    Garbage,
}
