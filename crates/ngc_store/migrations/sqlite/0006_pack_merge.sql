-- Pack imports as a three-way merge: the pack's version each imported record came from (its
-- base), every import by the SHA-256 of its content, numbered plan revisions with their full
-- content, and instance settings (the demo's anchor date).
CREATE TABLE import_bases (
    kind TEXT NOT NULL,
    natural_key TEXT NOT NULL,
    content TEXT NOT NULL,
    PRIMARY KEY (kind, natural_key)
);

CREATE TABLE pack_imports (
    id INTEGER PRIMARY KEY,
    pack_name TEXT NOT NULL,
    content_sha256 TEXT NOT NULL,
    imported_at TEXT NOT NULL,
    actor_user_id INTEGER
);

CREATE TABLE plan_revisions (
    id INTEGER PRIMARY KEY,
    plan_id INTEGER NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
    number BIGINT NOT NULL,
    reason TEXT NOT NULL,
    actor_user_id INTEGER,
    created_at TEXT NOT NULL,
    content TEXT NOT NULL,
    UNIQUE (plan_id, number)
);

CREATE TABLE instance_settings (
    name TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
