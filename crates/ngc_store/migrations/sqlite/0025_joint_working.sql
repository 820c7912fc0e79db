-- Joint working (the consolidation analysis of a partnership's contracts).
-- joint_key_values: a council's value for a cost-sharing key (households, tax_base,
-- population) in a financial year ('2016-17'), as an exact decimal in text, with its source and
-- whether it is confirmed against that source. One value per council, key and year; entering it
-- again replaces it (the audit trail keeps the old one).
CREATE TABLE joint_key_values (
    id INTEGER PRIMARY KEY,
    organisation_id INTEGER NOT NULL REFERENCES organisations (id),
    year TEXT NOT NULL,
    key TEXT NOT NULL,
    value TEXT NOT NULL,
    source TEXT NOT NULL,
    confirmed BOOLEAN NOT NULL,
    updated_by INTEGER REFERENCES users (id),
    updated_at TEXT NOT NULL,
    UNIQUE (organisation_id, year, key)
);
-- joint_tenders: a tender started from a consolidation analysis, with the analysis as it was
-- (its inputs, the aggregate annual value of the contracts it consolidates as the baseline in
-- pence, the estimated saving a year, and the whole analysis as JSON). Never changed after.
CREATE TABLE joint_tenders (
    tender_id INTEGER PRIMARY KEY REFERENCES tenders (id),
    partnership_id INTEGER NOT NULL REFERENCES partnerships (id),
    category TEXT NOT NULL,
    key TEXT NOT NULL,
    year TEXT NOT NULL,
    rate TEXT,
    baseline BIGINT NOT NULL,
    saving BIGINT,
    analysis TEXT NOT NULL,
    created_by INTEGER REFERENCES users (id),
    created_at TEXT NOT NULL
);
CREATE INDEX joint_tenders_partnership ON joint_tenders (partnership_id);
