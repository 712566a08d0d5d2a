using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace Certstream.Ingestor.Tests.Support;

/// <summary>Listens to one instrument of meter <c>Certstream.Ingestor</c>, keeping measurements tagged with one log key.</summary>
internal sealed class MetricRecorder : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentQueue<(double Value, Dictionary<string, object?> Tags)> _measurements = new();

    public MetricRecorder(string instrument, string logKey)
    {
        _listener.InstrumentPublished = (i, listener) =>
        {
            if (i.Meter.Name == IngestorMetrics.MeterName && i.Name == instrument) listener.EnableMeasurementEvents(i);
        };
        void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            var map = new Dictionary<string, object?>();
            foreach (var tag in tags) map[tag.Key] = tag.Value;
            if (Equals(map.GetValueOrDefault("log"), logKey)) _measurements.Enqueue((value, map));
        }
        _listener.SetMeasurementEventCallback<long>((_, value, tags, _) => Record(value, tags));
        _listener.SetMeasurementEventCallback<double>((_, value, tags, _) => Record(value, tags));
        _listener.Start();
    }

    public IReadOnlyList<(double Value, Dictionary<string, object?> Tags)> Measurements => [.. _measurements];

    public double Sum(string tag, string value) => _measurements.Where(m => Equals(m.Tags.GetValueOrDefault(tag), value)).Sum(m => m.Value);

    public void Dispose() => _listener.Dispose();
}
