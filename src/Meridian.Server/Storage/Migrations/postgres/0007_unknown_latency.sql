-- A usage record's latency may be unknown (docs/workloads.md#12-unknown-latency): a provider's usage export counts
-- calls and tokens but not how long they took. NULL marks it, so that averages and percentiles leave such records
-- out instead of counting their calls as 0 ms. The CHECK (latency_ms >= 0) holds for NULL.
ALTER TABLE workload_records ALTER COLUMN latency_ms DROP NOT NULL;
