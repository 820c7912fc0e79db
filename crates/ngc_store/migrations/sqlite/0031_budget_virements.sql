-- Budget virements and stored monthly budget profiles (issue 12).
-- budget_virements: budget moved from one service line (its label) to another for a
-- financial year, from a month (YYYY-MM) of it, in pence (always positive), with the reason.
-- Never changed or deleted: a virement is undone by recording the opposite one.
CREATE TABLE budget_virements (
    id INTEGER PRIMARY KEY,
    organisation_id INTEGER NOT NULL REFERENCES organisations (id),
    year TEXT NOT NULL,
    month TEXT NOT NULL,
    from_service TEXT NOT NULL,
    to_service TEXT NOT NULL,
    amount BIGINT NOT NULL CHECK (amount > 0),
    reason TEXT NOT NULL,
    recorded_by INTEGER REFERENCES users (id),
    recorded_at TEXT NOT NULL
);
CREATE INDEX budget_virements_organisation ON budget_virements (organisation_id, year);
-- budget_profiles: the monthly profile an officer stored for a service line (its label) and
-- year: twelve weights, April first, up to two decimals, as text (`10,8.5,...`); every entry
-- kept, the latest current; NULL weights withdraw the profile (back to flat twelfths).
CREATE TABLE budget_profiles (
    id INTEGER PRIMARY KEY,
    organisation_id INTEGER NOT NULL REFERENCES organisations (id),
    year TEXT NOT NULL,
    service TEXT NOT NULL,
    weights TEXT,
    note TEXT NOT NULL,
    entered_by INTEGER REFERENCES users (id),
    entered_at TEXT NOT NULL
);
CREATE INDEX budget_profiles_organisation ON budget_profiles (organisation_id, year);
