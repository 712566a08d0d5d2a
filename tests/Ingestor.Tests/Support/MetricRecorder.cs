using Certstream.Hosting.Metrics;
using Certstream.TestSupport;

namespace Certstream.Ingestor.Tests.Support;

/// <summary>Reads one family of an ingestor's metrics, for one log key, from its registry as <c>/metrics</c> would show it.</summary>
internal sealed class MetricRecorder(ServiceMetrics metrics, string family, string logKey)
{
    /// <summary>The value of the log's series (a counter's total, a gauge's value; summed over other labels).</summary>
    public double Value => Sum();

    /// <summary>The value of the log's series whose label <paramref name="label"/> is <paramref name="value"/>.</summary>
    public double Sum(string label, string value) => Sum((label, value));

    /// <summary>A histogram's observation count for the log's series with the given label.</summary>
    public double Count(string label, string value) => Read(family + "_count", ("log", logKey), (label, value));

    private double Sum(params (string, string)[] labels) => Read(family, [("log", logKey), .. labels]);

    private double Read(string series, params (string, string)[] labels) =>
        PrometheusText.Value(metrics.ScrapeAsync().GetAwaiter().GetResult(), series, labels);
}
