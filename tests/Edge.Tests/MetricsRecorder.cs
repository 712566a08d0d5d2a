using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;

namespace Certstream.Edge.Tests;

/// <summary>Reads one edge's Certstream.Edge instruments (only that host's meter, by its factory scope).</summary>
internal sealed class MetricsRecorder : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly Dictionary<(string Name, string Tag), long> _values = [];
    private readonly Lock _lock = new();

    public MetricsRecorder(EdgeHost host)
    {
        var factory = host.App.Services.GetRequiredService<IMeterFactory>();
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == EdgeMetrics.MeterName && ReferenceEquals(instrument.Meter.Scope, factory))
                listener.EnableMeasurementEvents(instrument);
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            var tag = tags.Length > 0 ? tags[0].Value?.ToString() ?? "" : "";
            lock (_lock)
            {
                var key = (instrument.Name, tag);
                // Observable instruments report totals; plain counters report increments.
                _values[key] = instrument.IsObservable ? value : _values.GetValueOrDefault(key) + value;
            }
        });
        _listener.Start();
    }

    /// <summary>The instrument's value for one tag value (stream or reason), observing observable instruments now.</summary>
    public long Value(string instrument, string tag)
    {
        _listener.RecordObservableInstruments();
        lock (_lock) return _values.GetValueOrDefault((instrument, tag));
    }

    public void Dispose() => _listener.Dispose();
}
