-- Revenue budget lines: organisation × year × service line × subjective, in pence.
CREATE TABLE budget_lines (
    id INTEGER PRIMARY KEY,
    organisation_id INTEGER NOT NULL REFERENCES organisations (id),
    year TEXT NOT NULL,
    service TEXT NOT NULL,
    subjective TEXT NOT NULL,
    amount BIGINT NOT NULL,
    UNIQUE (organisation_id, year, service, subjective)
);
