-- The savings evidence chain (issue 10): each saving of a plan (by its reference, which
-- outlives the plan's rows being rewritten) linked to the record that delivers it: a planned
-- procurement, a tender, a contract, a budget line, a shared service or a partnership.
-- `amount` is the saving's split of the evidence (pence a year; none: all of it); `baseline`
-- the annual cost before a contract (pence). Links are never deleted: removing one stamps
-- removed_at and removed_by, and the chain shows the links in force.
CREATE TABLE saving_links (
    id INTEGER PRIMARY KEY,
    organisation_id INTEGER NOT NULL REFERENCES organisations (id),
    plan_id INTEGER NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
    saving_reference TEXT NOT NULL,
    kind TEXT NOT NULL,
    target_id BIGINT NOT NULL,
    amount BIGINT,
    baseline BIGINT,
    note TEXT NOT NULL DEFAULT '',
    created_by INTEGER REFERENCES users (id),
    created_at TEXT NOT NULL,
    removed_by INTEGER REFERENCES users (id),
    removed_at TEXT
);
CREATE INDEX saving_links_plan ON saving_links (plan_id, saving_reference);
CREATE INDEX saving_links_target ON saving_links (organisation_id, kind, target_id);
