namespace Certstream.Hosting.Metrics;

/// <summary>The <c># TYPE</c> of a family in text format 0.0.4 (summaries and untyped are never produced).</summary>
internal enum MetricType
{
    Counter,
    Gauge,
    Histogram,
}
