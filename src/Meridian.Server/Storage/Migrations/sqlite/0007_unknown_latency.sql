-- A usage record's latency may be unknown (docs/workloads.md#12-unknown-latency): a provider's usage export counts
-- calls and tokens but not how long they took. NULL marks it, so that averages and percentiles leave such records
-- out instead of counting their calls as 0 ms. SQLite cannot drop NOT NULL, so the table is rebuilt.
CREATE TABLE workload_records_v7 (
    id                  INTEGER PRIMARY KEY,
    user_id             TEXT NOT NULL REFERENCES users(id),
    timestamp           INTEGER NOT NULL,
    model               TEXT NOT NULL,
    provider            TEXT NOT NULL DEFAULT 'unknown',
    input_tokens        INTEGER NOT NULL CHECK (input_tokens >= 0),
    output_tokens       INTEGER NOT NULL CHECK (output_tokens >= 0),
    latency_ms          REAL CHECK (latency_ms >= 0),
    cost_usd            REAL NOT NULL CHECK (cost_usd >= 0),
    status              TEXT NOT NULL CHECK (status IN ('ok', 'error')),
    feature             TEXT NOT NULL DEFAULT 'default',
    prompt_hash         TEXT,
    requests            INTEGER NOT NULL DEFAULT 1 CHECK (requests >= 1),
    cached_input_tokens INTEGER NOT NULL DEFAULT 0 CHECK (cached_input_tokens >= 0 AND cached_input_tokens <= input_tokens)
);
INSERT INTO workload_records_v7 (id, user_id, timestamp, model, provider, input_tokens, output_tokens, latency_ms, cost_usd, status,
                                 feature, prompt_hash, requests, cached_input_tokens)
SELECT id, user_id, timestamp, model, provider, input_tokens, output_tokens, latency_ms, cost_usd, status,
       feature, prompt_hash, requests, cached_input_tokens
FROM workload_records;
DROP TABLE workload_records;
ALTER TABLE workload_records_v7 RENAME TO workload_records;
CREATE INDEX ix_workload_user_time ON workload_records (user_id, timestamp);
