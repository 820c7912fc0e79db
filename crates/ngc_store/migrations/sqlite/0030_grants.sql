-- Grants to voluntary, community and social enterprise organisations (issue 12's Transparency
-- Code datasets, published as CSV and 360Giving JSON). One row per version of a grant: an
-- import that changes a grant (its identifier unique per council) adds a row and points the
-- earlier one at it through `superseded_by`, so every version stays readable. Amounts in pence.
CREATE TABLE grants (
    id INTEGER PRIMARY KEY,
    organisation_id INTEGER NOT NULL REFERENCES organisations (id),
    identifier TEXT NOT NULL,
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    amount_awarded BIGINT NOT NULL,
    amount_disbursed BIGINT,
    award_date DATE NOT NULL,
    start_on DATE,
    end_on DATE,
    recipient_identifier TEXT NOT NULL,
    recipient_name TEXT NOT NULL,
    recipient_charity_number TEXT NOT NULL,
    recipient_company_number TEXT NOT NULL,
    department TEXT NOT NULL,
    programme_code TEXT NOT NULL,
    programme_title TEXT NOT NULL,
    recorded_by INTEGER REFERENCES users (id),
    recorded_at TEXT NOT NULL,
    superseded_by INTEGER REFERENCES grants (id)
);
CREATE UNIQUE INDEX grants_current ON grants (organisation_id, identifier)
    WHERE superseded_by IS NULL;
CREATE INDEX grants_award_date ON grants (organisation_id, award_date);
