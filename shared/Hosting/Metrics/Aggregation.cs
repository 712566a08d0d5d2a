namespace Certstream.Hosting.Metrics;

/// <summary>How an instrument's measurements combine into a series' value.</summary>
internal enum Aggregation
{
    /// <summary>Counter, UpDownCounter: measurements are increments.</summary>
    Sum,

    /// <summary>Gauge and observable instruments: measurements are the current value.</summary>
    LastValue,

    /// <summary>Histogram: measurements are counted into buckets.</summary>
    Histogram,
}
