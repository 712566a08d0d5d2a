namespace Certstream.Hosting.Configuration;

/// <summary>The <c>parser:</c> section.</summary>
public sealed record ParserOptions
{
    /// <summary>Decoding workers; 0 means one per core.</summary>
    public int Concurrency { get; init; }
    public int FetchBatch { get; init; } = 256;
    public int MetricsPort { get; init; } = 9102;

    /// <summary>The address the metrics port listens on; "" = every interface (README "Metrics").</summary>
    public string MetricsAddr { get; init; } = "";

    /// <summary><see cref="Concurrency"/> with 0 resolved to the processor count.</summary>
    public int EffectiveConcurrency => Concurrency > 0 ? Concurrency : Environment.ProcessorCount;
}
