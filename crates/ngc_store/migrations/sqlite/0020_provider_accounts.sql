-- A provider's own accounts per financial year end (issue 10): turnover, net assets and
-- reserves, and the day they were filed, so dependency is measured against its whole
-- income. Entering a year again keeps the old figures, marked superseded.
CREATE TABLE provider_accounts (
    id INTEGER PRIMARY KEY,
    organisation_id INTEGER NOT NULL REFERENCES organisations (id),
    year_end DATE NOT NULL,
    -- Pence.
    turnover BIGINT NOT NULL,
    net_assets BIGINT NOT NULL,
    reserves BIGINT NOT NULL,
    filed_on DATE,
    entered_by INTEGER REFERENCES users (id),
    entered_at TEXT NOT NULL,
    superseded_at TEXT
);
CREATE INDEX provider_accounts_organisation ON provider_accounts (organisation_id, year_end);
