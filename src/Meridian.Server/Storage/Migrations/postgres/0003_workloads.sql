-- Usage records ("workloads", docs/workloads.md): one row per language-model call of a user's product.
-- 0001 drafted the table; the importer always knows provider, cost and feature (from the file, the price catalog or
-- a default), so those become NOT NULL, with CHECKs for what validation guarantees.
UPDATE workload_records SET provider = 'unknown' WHERE provider IS NULL;
UPDATE workload_records SET cost_usd = 0 WHERE cost_usd IS NULL;
UPDATE workload_records SET feature = 'default' WHERE feature IS NULL;
UPDATE workload_records SET status = 'ok' WHERE status <> 'error';
ALTER TABLE workload_records
    ALTER COLUMN provider SET DEFAULT 'unknown',
    ALTER COLUMN provider SET NOT NULL,
    ALTER COLUMN cost_usd SET NOT NULL,
    ALTER COLUMN feature SET DEFAULT 'default',
    ALTER COLUMN feature SET NOT NULL,
    ADD CONSTRAINT ck_workload_tokens CHECK (input_tokens >= 0 AND output_tokens >= 0),
    ADD CONSTRAINT ck_workload_latency CHECK (latency_ms >= 0),
    ADD CONSTRAINT ck_workload_cost CHECK (cost_usd >= 0),
    ADD CONSTRAINT ck_workload_status CHECK (status IN ('ok', 'error'));
-- A user's records in time order, ties broken by id, read straight off the index.
DROP INDEX ix_workload_user_time;
CREATE INDEX ix_workload_user_time ON workload_records (user_id, timestamp, id);
