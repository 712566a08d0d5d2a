using System.Buffers;
using System.Diagnostics.Metrics;
using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Certstream.Hosting.Metrics;

/// <summary>
/// Listens to the System.Diagnostics.Metrics instruments of the configured meters from construction on, and
/// writes them, with the process metrics, in Prometheus text format 0.0.4. One per process (a DI singleton).
/// </summary>
internal sealed class PrometheusExposition : IDisposable
{
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    private static ReadOnlySpan<byte> BucketSuffix => "_bucket"u8;
    private static ReadOnlySpan<byte> SumSuffix => "_sum"u8;
    private static ReadOnlySpan<byte> CountSuffix => "_count"u8;

    private readonly PrometheusExpositionOptions _options;
    private readonly ILogger _logger;
    private readonly ProcessMetrics? _process;
    private readonly Lock _recordersLock = new();
    private readonly List<InstrumentRecorder> _recorders = [];
    // One scrape at a time: observable callbacks mark the series they report, and the scrape consumes the marks.
    private readonly Lock _scrapeLock = new();
    private readonly MeterListener _listener;

    public PrometheusExposition(PrometheusExpositionOptions options, ILogger<PrometheusExposition>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(options.MeterNamePrefix);
        ArgumentOutOfRangeException.ThrowIfLessThan(options.MaxSeriesPerInstrument, 1);
        _options = options;
        _logger = logger ?? NullLogger<PrometheusExposition>.Instance;
        _process = options.IncludeProcessMetrics ? new ProcessMetrics() : null;

        _listener = new MeterListener
        {
            InstrumentPublished = OnInstrumentPublished,
            MeasurementsCompleted = OnMeasurementsCompleted,
        };
        // One callback per numeric T; the per-instrument state is the recorder, so no lookup by instrument.
        _listener.SetMeasurementEventCallback<byte>(static (_, value, tags, state) => ((InstrumentRecorder)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<short>(static (_, value, tags, state) => ((InstrumentRecorder)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<int>(static (_, value, tags, state) => ((InstrumentRecorder)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<long>(static (_, value, tags, state) => ((InstrumentRecorder)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<float>(static (_, value, tags, state) => ((InstrumentRecorder)state!).Record((double)value, tags));
        _listener.SetMeasurementEventCallback<double>(static (_, value, tags, state) => ((InstrumentRecorder)state!).Record(value, tags));
        _listener.SetMeasurementEventCallback<decimal>(static (_, value, tags, state) => ((InstrumentRecorder)state!).Record((double)value, tags));
        // Publishes the instruments that already exist, then each new one as it is created.
        _listener.Start();
    }

    /// <summary>Writes the whole exposition: instrument families sorted by name, then process and runtime families.</summary>
    public void WriteTo(IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var writer = new ExpositionWriter(output);
        lock (_scrapeLock)
        {
            RunObservableCallbacks();
            foreach (var family in Families())
                WriteFamily(writer, family);
            _process?.Write(writer);
        }
    }

    /// <summary>The exposition as text (tests and diagnostics; the endpoint writes bytes).</summary>
    public string Scrape()
    {
        var buffer = new ArrayBufferWriter<byte>();
        WriteTo(buffer);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    public void Dispose() => _listener.Dispose();

    private void OnInstrumentPublished(Instrument instrument, MeterListener listener)
    {
        if (!instrument.Meter.Name.StartsWith(_options.MeterNamePrefix, StringComparison.Ordinal)) return;
        var recorder = InstrumentRecorder.For(instrument, _options.MaxSeriesPerInstrument);
        if (recorder is null)
        {
            _logger.LogWarning("Metrics: instrument {Instrument} of meter {Meter} has an unsupported type {Type}; not exported",
                instrument.Name, instrument.Meter.Name, instrument.GetType());
            return;
        }

        lock (_recordersLock)
        {
            var first = _recorders.Find(r => r.FamilyName == recorder.FamilyName);
            if (first is not null && !recorder.FitsFamilyOf(first))
                _logger.LogWarning("Metrics: instrument {Instrument} of meter {Meter} maps to {Family}, already used by {Other} of another kind; not exported",
                    instrument.Name, instrument.Meter.Name, recorder.FamilyName, first.Instrument.Name);
            _recorders.Add(recorder);
        }
        listener.EnableMeasurementEvents(instrument, recorder);
    }

    // The meter was disposed: its series go (a counter that vanishes and comes back is a reset to Prometheus).
    private void OnMeasurementsCompleted(Instrument instrument, object? state)
    {
        if (state is not InstrumentRecorder recorder) return;
        lock (_recordersLock) _recorders.Remove(recorder);
    }

    private void RunObservableCallbacks()
    {
        try
        {
            _listener.RecordObservableInstruments();
        }
        catch (AggregateException e)
        {
            // Every callback ran; the failing ones just have no value this scrape.
            foreach (var inner in e.InnerExceptions)
                _logger.LogWarning(inner, "Metrics: an observable instrument's callback failed");
        }
    }

    /// <summary>Recorders grouped by family name, in name order; recorders that cannot share a family are left out.</summary>
    private List<List<InstrumentRecorder>> Families()
    {
        var byName = new SortedDictionary<string, List<InstrumentRecorder>>(StringComparer.Ordinal);
        lock (_recordersLock)
        {
            foreach (var recorder in _recorders)
            {
                if (!byName.TryGetValue(recorder.FamilyName, out var family))
                    byName.Add(recorder.FamilyName, [recorder]);
                else if (recorder.FitsFamilyOf(family[0]))
                    family.Add(recorder);
            }
        }
        return [.. byName.Values];
    }

    private static void WriteFamily(ExpositionWriter writer, List<InstrumentRecorder> family)
    {
        var samples = new List<Sample>();
        foreach (var recorder in family) recorder.Collect(samples);
        var first = family[0];
        // No series yet (nothing recorded, or callbacks reported nothing): no family, rather than a bare header.
        if (samples.Count == 0) return;

        writer.WriteFamilyHeader(first.FamilyName, first.Help, first.Type);
        var name = first.FamilyNameBytes;
        foreach (var sample in Merge(samples, first.IsAdditive))
        {
            if (sample.Buckets is { } buckets)
            {
                var labels = ((HistogramRecorder)first).BucketLabels;
                long cumulative = 0;
                for (var i = 0; i < buckets.Length; i++)
                {
                    cumulative += buckets[i];
                    writer.WriteSample(name, BucketSuffix, sample.Labels, labels[i], cumulative);
                }
                writer.WriteSample(name, SumSuffix, sample.Labels, default, sample.Real);
                writer.WriteSample(name, CountSuffix, sample.Labels, default, cumulative);
            }
            else if (sample.IsReal)
            {
                writer.WriteSample(name, default, sample.Labels, default, sample.Value);
            }
            else
            {
                writer.WriteSample(name, default, sample.Labels, default, sample.Integer);
            }
        }
    }

    /// <summary>
    /// Sorts by label text and folds equal ones (several instruments in one family, or tag sets that sanitize
    /// alike), since a repeated series makes Prometheus reject the scrape. Additive values add; a gauge keeps the first.
    /// </summary>
    private static List<Sample> Merge(List<Sample> samples, bool additive)
    {
        samples.Sort(static (a, b) => a.Labels.AsSpan().SequenceCompareTo(b.Labels));
        var merged = new List<Sample>(samples.Count);
        foreach (var sample in samples)
        {
            if (merged.Count > 0 && merged[^1].Labels.AsSpan().SequenceEqual(sample.Labels))
            {
                if (additive) merged[^1] = merged[^1].Plus(sample);
                continue;
            }
            merged.Add(sample);
        }
        return merged;
    }
}
