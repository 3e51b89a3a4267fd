namespace Meridian.Server.Ingest;

/// <summary>Section <c>Ingest</c>: the OTLP receiver and ingest keys (docs/ingest.md).</summary>
public sealed class IngestOptions
{
    public const string Section = "Ingest";

    /// <summary>The span or resource attribute whose value becomes a record's <c>feature</c>.</summary>
    public string FeatureAttribute { get; set; } = "service.name";

    /// <summary>The largest export body accepted, compressed and decompressed alike; larger ones get 413.</summary>
    public long MaxBodyBytes { get; set; } = 16 * 1024 * 1024;

    /// <summary>Exports this node reads and stores at once; more get 429 with <c>Retry-After</c>, which every
    /// OpenTelemetry exporter honours by retrying later.</summary>
    public int MaxConcurrentExports { get; set; } = 8;

    /// <summary>Keys a user may hold at once (revoked keys do not count).</summary>
    public int MaxKeysPerUser { get; set; } = 20;
}
