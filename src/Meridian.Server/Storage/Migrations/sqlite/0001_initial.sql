-- Times are Unix epoch milliseconds (UTC) in both providers, so the same queries sort and compare them.
CREATE TABLE users (
    id            TEXT PRIMARY KEY,
    email         TEXT UNIQUE,
    name          TEXT NOT NULL DEFAULT '',
    password_hash TEXT,
    permissions   TEXT NOT NULL DEFAULT '[]',
    disabled      INTEGER NOT NULL DEFAULT 0,
    created_at    INTEGER NOT NULL,
    last_seen_at  INTEGER
);

CREATE TABLE threads (
    id         TEXT PRIMARY KEY,
    user_id    TEXT NOT NULL REFERENCES users(id),
    title      TEXT NOT NULL DEFAULT '',
    archived   INTEGER NOT NULL DEFAULT 0,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX ix_threads_user_updated ON threads (user_id, updated_at DESC);

CREATE TABLE runs (
    id               TEXT PRIMARY KEY,
    thread_id        TEXT NOT NULL REFERENCES threads(id),
    user_id          TEXT NOT NULL REFERENCES users(id),
    agent            TEXT NOT NULL,
    status           TEXT NOT NULL,
    input            TEXT NOT NULL DEFAULT '',
    error_code       TEXT,
    error_message    TEXT,
    usage            TEXT,
    node_id          TEXT,
    lease_expires_at INTEGER,
    last_seq         INTEGER NOT NULL DEFAULT 0,
    created_at       INTEGER NOT NULL,
    started_at       INTEGER,
    ended_at         INTEGER
);
CREATE INDEX ix_runs_user_status ON runs (user_id, status);
CREATE INDEX ix_runs_status_created ON runs (status, created_at);
CREATE INDEX ix_runs_thread ON runs (thread_id, created_at);

CREATE TABLE messages (
    id         TEXT PRIMARY KEY,
    thread_id  TEXT NOT NULL REFERENCES threads(id),
    user_id    TEXT NOT NULL REFERENCES users(id),
    role       TEXT NOT NULL,
    content    TEXT NOT NULL,
    run_id     TEXT,
    created_at INTEGER NOT NULL
);
CREATE INDEX ix_messages_thread_created ON messages (thread_id, created_at);

CREATE TABLE run_events (
    run_id     TEXT NOT NULL REFERENCES runs(id),
    seq        INTEGER NOT NULL,
    type       TEXT NOT NULL,
    payload    TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (run_id, seq)
);

CREATE TABLE workload_records (
    id            INTEGER PRIMARY KEY,
    user_id       TEXT NOT NULL REFERENCES users(id),
    timestamp     INTEGER NOT NULL,
    model         TEXT NOT NULL,
    provider      TEXT,
    input_tokens  INTEGER NOT NULL,
    output_tokens INTEGER NOT NULL,
    latency_ms    REAL NOT NULL,
    cost_usd      REAL,
    status        TEXT NOT NULL,
    feature       TEXT,
    prompt_hash   TEXT
);
CREATE INDEX ix_workload_user_time ON workload_records (user_id, timestamp);

CREATE TABLE refresh_tokens (
    id          TEXT PRIMARY KEY,
    user_id     TEXT NOT NULL REFERENCES users(id),
    family_id   TEXT NOT NULL,
    token_hash  TEXT NOT NULL UNIQUE,
    created_at  INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL,
    used_at     INTEGER,
    revoked_at  INTEGER
);
CREATE INDEX ix_refresh_family ON refresh_tokens (family_id);

CREATE TABLE revoked_tokens (
    jti        TEXT PRIMARY KEY,
    expires_at INTEGER NOT NULL
);
