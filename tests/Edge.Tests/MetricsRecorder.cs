using Certstream.TestSupport;

namespace Certstream.Edge.Tests;

/// <summary>Reads one edge's metrics as its <c>/metrics</c> shows them (its own prometheus-net registry).</summary>
internal sealed class MetricsRecorder(EdgeHost host) : IDisposable
{
    /// <summary>The value of a family's series for one label value (a stream or a reason); 0 when it has none.</summary>
    public long Value(string family, string labelValue)
    {
        var text = host.Service.Metrics.ScrapeAsync().GetAwaiter().GetResult();
        return (long)PrometheusText.Samples(text).Where(s => s.Name == family && s.Labels.Values.Contains(labelValue)).Sum(s => s.Value);
    }

    public void Dispose()
    {
    }
}
