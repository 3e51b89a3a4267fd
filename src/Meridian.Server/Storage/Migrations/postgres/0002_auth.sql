-- Failed logins per submitted email ('email:…') and per client address ('addr:…'); see docs/auth.md.
CREATE TABLE login_throttle (
    throttle_key      TEXT PRIMARY KEY,
    failures          INTEGER NOT NULL,
    window_started_at BIGINT NOT NULL,
    locked_until      BIGINT
);
CREATE INDEX ix_login_throttle_window ON login_throttle (window_started_at);

CREATE INDEX ix_refresh_tokens_user ON refresh_tokens (user_id, expires_at);
CREATE INDEX ix_revoked_tokens_expires ON revoked_tokens (expires_at);
