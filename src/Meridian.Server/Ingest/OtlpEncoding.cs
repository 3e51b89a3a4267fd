namespace Meridian.Server.Ingest;

/// <summary>The two encodings OTLP/HTTP exporters send (docs/ingest.md#2-otlp-receiver).</summary>
public enum OtlpEncoding
{
    Protobuf,
    Json,
}
