/** The environment an OpenTelemetry SDK reads to export to this server with `key` (docs/ingest.md#4-sending-traces). */
export function exporterSettings(origin: string, key: string): string {
  return [
    `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT=${origin}/v1/traces`,
    'OTEL_EXPORTER_OTLP_TRACES_PROTOCOL=http/protobuf',
    `OTEL_EXPORTER_OTLP_HEADERS="Authorization=Bearer ${key}"`,
  ].join('\n');
}
