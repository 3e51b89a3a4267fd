using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;

namespace Meridian.Server.Metrics;

/// <summary>Aggregates <see cref="System.Diagnostics.Metrics"/> measurements from Meridian's meters and ASP.NET Core's
/// own (request duration by route and status, Kestrel connections) and renders them in the Prometheus text format.
/// Counters become <c>_total</c> series, up-down counters and gauges plain gauges, histograms cumulative buckets.</summary>
public sealed class PrometheusExporter : IDisposable
{
    private static readonly string[] ExportedMeterPrefixes = ["Meridian", "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel"];
    private static readonly double[] SecondsBuckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];
    private static readonly double[] CountBuckets = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 5000];

    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<Instrument, Family> _families = new();

    /// <param name="meters">Only meters created by this factory are exported, so several servers in one process
    /// (tests, embedding hosts) each report their own numbers.</param>
    public PrometheusExporter(IMeterFactory meters)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Scope == meters
                && ExportedMeterPrefixes.Any(p => instrument.Meter.Name.StartsWith(p, StringComparison.Ordinal)))
            {
                _families[instrument] = new Family(instrument);
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<double>(Record);
        _listener.SetMeasurementEventCallback<float>((i, v, t, s) => Record(i, v, t, s));
        _listener.SetMeasurementEventCallback<long>((i, v, t, s) => Record(i, v, t, s));
        _listener.SetMeasurementEventCallback<int>((i, v, t, s) => Record(i, v, t, s));
        _listener.SetMeasurementEventCallback<short>((i, v, t, s) => Record(i, v, t, s));
        _listener.SetMeasurementEventCallback<byte>((i, v, t, s) => Record(i, v, t, s));
        _listener.SetMeasurementEventCallback<decimal>((i, v, t, s) => Record(i, (double)v, t, s));
        _listener.Start();
    }

    public string Render()
    {
        _listener.RecordObservableInstruments();
        var text = new StringBuilder(4096);
        foreach (var group in _families.Values.GroupBy(f => f.Name).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var first = group.First();
            text.Append("# HELP ").Append(first.Name).Append(' ').Append(Escape(first.Help, label: false)).Append('\n');
            text.Append("# TYPE ").Append(first.Name).Append(' ').Append(first.Type).Append('\n');
            foreach (var family in group)
            {
                family.Render(text);
            }
        }

        return text.ToString();
    }

    public void Dispose() => _listener.Dispose();

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state)
    {
        if (_families.TryGetValue(instrument, out var family))
        {
            family.Record(value, tags);
        }
    }

    internal static string MetricName(Instrument instrument)
    {
        var name = new StringBuilder(instrument.Name.Length + 16);
        foreach (var c in instrument.Name)
        {
            name.Append(char.IsAsciiLetterOrDigit(c) ? char.ToLowerInvariant(c) : '_');
        }

        var unit = instrument.Unit switch
        {
            "s" => "_seconds",
            "ms" => "_milliseconds",
            "By" => "_bytes",
            _ => "",
        };
        if (unit.Length > 0 && !name.ToString().EndsWith(unit, StringComparison.Ordinal))
        {
            name.Append(unit);
        }

        if (IsCounter(instrument))
        {
            name.Append("_total");
        }

        return name.ToString();
    }

    private static bool IsCounter(Instrument i)
    {
        var type = i.GetType();
        return type.IsGenericType && type.GetGenericTypeDefinition() is var d && (d == typeof(Counter<>) || d == typeof(ObservableCounter<>));
    }

    private static bool IsHistogram(Instrument i) =>
        i.GetType().IsGenericType && i.GetType().GetGenericTypeDefinition() == typeof(Histogram<>);

    private static bool IsObservable(Instrument i) => i.IsObservable;

    internal static string Escape(string value, bool label) =>
        label
            ? value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal)
            : value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);

    private static string Format(double value) =>
        double.IsPositiveInfinity(value) ? "+Inf" : value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>All series of one instrument, keyed by their rendered label set.</summary>
    private sealed class Family(Instrument instrument)
    {
        private readonly ConcurrentDictionary<string, Series> _series = new(StringComparer.Ordinal);
        private readonly bool _histogram = IsHistogram(instrument);
        private readonly bool _observable = IsObservable(instrument);
        private readonly double[] _buckets = Buckets(instrument);

        public string Name { get; } = MetricName(instrument);

        public string Help { get; } = string.IsNullOrEmpty(instrument.Description) ? instrument.Name : instrument.Description;

        public string Type => _histogram ? "histogram" : IsCounter(instrument) ? "counter" : "gauge";

        public void Record(double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            var labels = Labels(tags);
            var series = _series.GetOrAdd(labels, _ => new Series(_histogram ? _buckets.Length : 0));
            lock (series)
            {
                if (_histogram)
                {
                    var index = Array.BinarySearch(_buckets, value);
                    series.Buckets[index >= 0 ? index : ~index]++;
                    series.Count++;
                    series.Sum += value;
                }
                else if (_observable)
                {
                    series.Sum = value; // observable instruments report their current total or level
                }
                else
                {
                    series.Sum += value;
                }
            }
        }

        public void Render(StringBuilder text)
        {
            foreach (var (labels, series) in _series.OrderBy(s => s.Key, StringComparer.Ordinal))
            {
                lock (series)
                {
                    if (!_histogram)
                    {
                        Line(text, Name, labels, null, series.Sum);
                        continue;
                    }

                    long cumulative = 0;
                    for (var i = 0; i < _buckets.Length; i++)
                    {
                        cumulative += series.Buckets[i];
                        Line(text, Name + "_bucket", labels, Format(_buckets[i]), cumulative);
                    }

                    Line(text, Name + "_bucket", labels, "+Inf", series.Count);
                    Line(text, Name + "_sum", labels, null, series.Sum);
                    Line(text, Name + "_count", labels, null, series.Count);
                }
            }
        }

        private static void Line(StringBuilder text, string name, string labels, string? le, double value)
        {
            text.Append(name);
            if (labels.Length > 0 || le is not null)
            {
                text.Append('{').Append(labels);
                if (le is not null)
                {
                    text.Append(labels.Length > 0 ? "," : "").Append("le=\"").Append(le).Append('"');
                }

                text.Append('}');
            }

            text.Append(' ').Append(Format(value)).Append('\n');
        }

        private static string Labels(ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            if (tags.Length == 0)
            {
                return "";
            }

            var sorted = tags.ToArray();
            Array.Sort(sorted, (a, b) => string.CompareOrdinal(a.Key, b.Key));
            var text = new StringBuilder();
            foreach (var (key, value) in sorted)
            {
                if (text.Length > 0)
                {
                    text.Append(',');
                }

                foreach (var c in key)
                {
                    text.Append(char.IsAsciiLetterOrDigit(c) ? c : '_');
                }

                text.Append("=\"").Append(Escape(Convert.ToString(value, CultureInfo.InvariantCulture) ?? "", label: true)).Append('"');
            }

            return text.ToString();
        }

        private static double[] Buckets(Instrument instrument)
        {
            if (instrument is Histogram<double> { Advice.HistogramBucketBoundaries: { Count: > 0 } advised })
            {
                return [.. advised];
            }

            return instrument.Unit switch
            {
                "s" => SecondsBuckets,
                "ms" => [.. SecondsBuckets.Select(b => b * 1000)],
                _ => CountBuckets,
            };
        }
    }

    private sealed class Series(int buckets)
    {
        public long[] Buckets { get; } = new long[buckets + 1];

        public long Count { get; set; }

        public double Sum { get; set; }
    }
}
