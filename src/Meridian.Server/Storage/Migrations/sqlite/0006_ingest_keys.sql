-- Ingest keys (docs/ingest.md#1-ingest-keys): long-lived credentials an OpenTelemetry exporter or a script sends to
-- the ingest routes, scoped to ingest only. Only a SHA-256 hash of the key is stored; the key is shown once.
CREATE TABLE ingest_keys (
    id           TEXT PRIMARY KEY,
    user_id      TEXT NOT NULL REFERENCES users(id),
    name         TEXT NOT NULL,
    prefix       TEXT NOT NULL,
    secret_hash  TEXT NOT NULL UNIQUE,
    created_at   INTEGER NOT NULL,
    last_used_at INTEGER,
    revoked_at   INTEGER
);
CREATE INDEX ix_ingest_keys_user ON ingest_keys (user_id, created_at);

-- One row per accepted ingest request, for "what arrived in the last hour"; rows older than a day are pruned.
CREATE TABLE ingest_batches (
    id          INTEGER PRIMARY KEY,
    key_id      TEXT NOT NULL,
    user_id     TEXT NOT NULL,
    received_at INTEGER NOT NULL,
    accepted    INTEGER NOT NULL,
    rejected    INTEGER NOT NULL,
    ignored     INTEGER NOT NULL
);
CREATE INDEX ix_ingest_batches_user_time ON ingest_batches (user_id, received_at);
