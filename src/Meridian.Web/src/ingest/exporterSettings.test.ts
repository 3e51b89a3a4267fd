import { describe, expect, it } from 'vitest';
import { exporterSettings } from './exporterSettings';

describe('exporterSettings', () => {
  it('names the traces endpoint, the protocol and the key as a Bearer header', () => {
    expect(exporterSettings('https://meridian.example.com', 'mik_abc')).toBe(
      'OTEL_EXPORTER_OTLP_TRACES_ENDPOINT=https://meridian.example.com/v1/traces\n' +
        'OTEL_EXPORTER_OTLP_TRACES_PROTOCOL=http/protobuf\n' +
        'OTEL_EXPORTER_OTLP_HEADERS="Authorization=Bearer mik_abc"',
    );
  });
});
