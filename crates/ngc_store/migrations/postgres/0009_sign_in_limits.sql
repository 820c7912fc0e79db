-- Sign-in limits: one row per limited key (an email or a client address), updated by a
-- single upsert that checks and records an attempt at once. Times are milliseconds since
-- the Unix epoch, so that both backends compare them as plain integers.
DROP TABLE login_attempts;

CREATE TABLE sign_in_limits (
    key TEXT PRIMARY KEY,
    window_start_ms BIGINT NOT NULL,
    attempts BIGINT NOT NULL,
    blocked_until_ms BIGINT NOT NULL,
    block_ms BIGINT NOT NULL
);

-- API tokens expire (90 days by default); tokens made before get 90 days from their creation.
ALTER TABLE api_tokens ADD COLUMN expires_at TIMESTAMPTZ;
UPDATE api_tokens SET expires_at = created_at + INTERVAL '90 days';

CREATE INDEX sessions_expires ON sessions (expires_at);
