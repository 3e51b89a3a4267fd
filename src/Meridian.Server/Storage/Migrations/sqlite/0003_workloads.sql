-- Usage records ("workloads", docs/workloads.md): one row per language-model call of a user's product.
-- 0001 drafted the table; the importer always knows provider, cost and feature (from the file, the price catalog or
-- a default), so those become NOT NULL, with CHECKs for what validation guarantees. SQLite cannot alter columns,
-- so the table is rebuilt and any rows carried over.
CREATE TABLE workload_records_v3 (
    id            INTEGER PRIMARY KEY,
    user_id       TEXT NOT NULL REFERENCES users(id),
    timestamp     INTEGER NOT NULL,
    model         TEXT NOT NULL,
    provider      TEXT NOT NULL DEFAULT 'unknown',
    input_tokens  INTEGER NOT NULL CHECK (input_tokens >= 0),
    output_tokens INTEGER NOT NULL CHECK (output_tokens >= 0),
    latency_ms    REAL NOT NULL CHECK (latency_ms >= 0),
    cost_usd      REAL NOT NULL CHECK (cost_usd >= 0),
    status        TEXT NOT NULL CHECK (status IN ('ok', 'error')),
    feature       TEXT NOT NULL DEFAULT 'default',
    prompt_hash   TEXT
);
INSERT INTO workload_records_v3 (id, user_id, timestamp, model, provider, input_tokens, output_tokens, latency_ms, cost_usd, status, feature, prompt_hash)
SELECT id, user_id, timestamp, model, COALESCE(provider, 'unknown'), input_tokens, output_tokens, latency_ms, COALESCE(cost_usd, 0),
       CASE WHEN status = 'error' THEN 'error' ELSE 'ok' END, COALESCE(feature, 'default'), prompt_hash
FROM workload_records;
DROP TABLE workload_records;
ALTER TABLE workload_records_v3 RENAME TO workload_records;
-- A user's records in time order; the rowid, part of every SQLite index, orders records of the same millisecond.
CREATE INDEX ix_workload_user_time ON workload_records (user_id, timestamp);
