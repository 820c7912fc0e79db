-- General-ledger actuals, the officers' forecasts and the reserves releasable in the year
-- (issue 12).
-- gl_imports: one general-ledger extract an organisation imported (ngc import actuals): its
-- file name, the SHA-256 of its bytes (an extract is imported once per organisation), the
-- months it covers, its lines, net total in pence and the number of journals it posted to
-- bring the ledger to its figures. A later extract for any of the same months is the current
-- one for them; the earlier one is kept whole, readable, never deleted.
CREATE TABLE gl_imports (
    id INTEGER PRIMARY KEY,
    organisation_id INTEGER NOT NULL REFERENCES organisations (id),
    file_name TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    first_month TEXT NOT NULL,
    last_month TEXT NOT NULL,
    lines BIGINT NOT NULL,
    net_total BIGINT NOT NULL,
    journals BIGINT NOT NULL,
    imported_by INTEGER REFERENCES users (id),
    imported_at TEXT NOT NULL,
    UNIQUE (organisation_id, sha256)
);
-- gl_lines: every line of an extract by its position (and its line in the file); the service
-- line as its word, the subjective as written, amounts in pence signed as the finance system
-- signs them.
CREATE TABLE gl_lines (
    import_id INTEGER NOT NULL REFERENCES gl_imports (id),
    position BIGINT NOT NULL,
    line BIGINT NOT NULL,
    month TEXT NOT NULL,
    service TEXT NOT NULL,
    cost_centre TEXT NOT NULL,
    subjective TEXT NOT NULL,
    income BOOLEAN NOT NULL,
    amount BIGINT NOT NULL,
    PRIMARY KEY (import_id, position)
);
-- gl_import_months: the months (`YYYY-MM`) each extract covers; a month's latest extract is
-- its current one, and a month with none has partial actuals.
CREATE TABLE gl_import_months (
    import_id INTEGER NOT NULL REFERENCES gl_imports (id),
    organisation_id INTEGER NOT NULL REFERENCES organisations (id),
    month TEXT NOT NULL,
    PRIMARY KEY (import_id, month)
);
CREATE INDEX gl_import_months_organisation ON gl_import_months (organisation_id, month);
-- budget_forecasts: an officer's forecast outturn for a service line (its label) and year, in
-- pence; every entry kept, the latest current; a NULL amount withdraws the forecast.
CREATE TABLE budget_forecasts (
    id INTEGER PRIMARY KEY,
    organisation_id INTEGER NOT NULL REFERENCES organisations (id),
    year TEXT NOT NULL,
    service TEXT NOT NULL,
    amount BIGINT,
    note TEXT NOT NULL,
    entered_by INTEGER REFERENCES users (id),
    entered_at TEXT NOT NULL
);
CREATE INDEX budget_forecasts_organisation ON budget_forecasts (organisation_id, year);
-- releasable_reserves: the chief finance officer's marking of a plan's earmarked reserve (by
-- name) as releasable to meet the year's spending (the s114(3) test); every marking kept, the
-- latest current.
CREATE TABLE releasable_reserves (
    id INTEGER PRIMARY KEY,
    organisation_id INTEGER NOT NULL REFERENCES organisations (id),
    reserve TEXT NOT NULL,
    releasable BOOLEAN NOT NULL,
    note TEXT NOT NULL,
    marked_by INTEGER REFERENCES users (id),
    marked_at TEXT NOT NULL
);
CREATE INDEX releasable_reserves_organisation ON releasable_reserves (organisation_id);
