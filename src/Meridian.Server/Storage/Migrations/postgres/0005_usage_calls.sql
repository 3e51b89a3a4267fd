-- A usage record may stand for many calls (docs/workloads.md#1-record-format): `requests` counts them (1 for a
-- record of one call), tokens and cost are their totals and latency their mean. `cached_input_tokens` is the part
-- of the input tokens the provider served from its prompt cache (0 when unknown).
ALTER TABLE workload_records
    ADD COLUMN requests BIGINT NOT NULL DEFAULT 1,
    ADD COLUMN cached_input_tokens BIGINT NOT NULL DEFAULT 0,
    ADD CONSTRAINT ck_workload_requests CHECK (requests >= 1),
    ADD CONSTRAINT ck_workload_cached CHECK (cached_input_tokens >= 0 AND cached_input_tokens <= input_tokens);
