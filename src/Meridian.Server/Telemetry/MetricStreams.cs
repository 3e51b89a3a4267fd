using System.Diagnostics.Metrics;
using OpenTelemetry.Metrics;

namespace Meridian.Server.Telemetry;

/// <summary>Which instruments a server exports, and the buckets of Meridian's histograms
/// (docs/operations.md#6-logs-and-metrics).</summary>
internal static class MetricStreams
{
    /// <summary>Meters whose instruments are exported: Meridian's own, ASP.NET Core's request durations and
    /// Kestrel's connection counts.</summary>
    public static readonly string[] Meters = ["Meridian.*", "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel"];

    private static readonly double[] SecondsBuckets = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60];
    private static readonly double[] CountBuckets = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 5000];

    /// <summary>The view of one server. A meter provider listens to meters by name across the whole process, so
    /// the instruments of meters that another container's factory created are dropped: several servers in one
    /// process (tests, embedding hosts) each report their own numbers.</summary>
    public static Func<Instrument, MetricStreamConfiguration?> View(IMeterFactory own) => instrument =>
    {
        if (instrument.Meter.Scope is not null && !ReferenceEquals(instrument.Meter.Scope, own))
        {
            return MetricStreamConfiguration.Drop;
        }

        return IsUnadvisedMeridianHistogram(instrument)
            ? new ExplicitBucketHistogramConfiguration { Boundaries = instrument.Unit == "s" ? SecondsBuckets : CountBuckets }
            : null;
    };

    /// <summary>The SDK's default buckets (0 to 10000) suit milliseconds; Meridian's histograms count seconds or
    /// events, and carry no bucket advice of their own.</summary>
    private static bool IsUnadvisedMeridianHistogram(Instrument instrument) =>
        instrument.Meter.Name.StartsWith("Meridian.", StringComparison.Ordinal)
        && instrument switch
        {
            Histogram<double> h => h.Advice?.HistogramBucketBoundaries is null,
            Histogram<long> h => h.Advice?.HistogramBucketBoundaries is null,
            _ => false,
        };
}
