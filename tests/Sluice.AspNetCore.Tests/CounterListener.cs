using System.Diagnostics.Metrics;

namespace Sluice.AspNetCore.Tests;

/// <summary>Sums the Sluice counters of one gateway (its meter factory), ignoring gateways of tests running in parallel.</summary>
internal sealed class CounterListener : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly List<(string Name, long Value, KeyValuePair<string, object?>[] Tags)> _measurements = [];

    public CounterListener(IMeterFactory scope)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == SluiceMetrics.MeterName && ReferenceEquals(instrument.Meter.Scope, scope))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            lock (_measurements)
            {
                _measurements.Add((instrument.Name, value, tags.ToArray()));
            }
        });
        _listener.Start();
    }

    public long Total(string name, (string Key, string Value)? tag = null)
    {
        lock (_measurements)
        {
            return _measurements
                .Where(m => m.Name == name && (tag is null || m.Tags.Any(t => t.Key == tag.Value.Key && Equals(t.Value, tag.Value.Value))))
                .Sum(m => m.Value);
        }
    }

    public void Dispose() => _listener.Dispose();
}
