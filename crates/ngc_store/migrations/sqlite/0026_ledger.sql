-- The ledger (issue 12): each organisation's accounts, its posted journals (immutable; a
-- correction is a reversal journal pointing to what it reverses, and a journal is reversed
-- at most once), their postings with the source each came from, and the balances per
-- account and month, maintained in the transaction that posts, so reports never sum every
-- posting. Money in pence; a month is `YYYY-MM`.
CREATE TABLE ledger_accounts (
    id INTEGER PRIMARY KEY,
    organisation_id INTEGER NOT NULL REFERENCES organisations (id),
    code TEXT NOT NULL,
    kind TEXT NOT NULL,
    service TEXT,
    subjective TEXT,
    UNIQUE (organisation_id, code)
);

CREATE TABLE ledger_journals (
    id INTEGER PRIMARY KEY,
    organisation_id INTEGER NOT NULL REFERENCES organisations (id),
    idempotency_key TEXT NOT NULL,
    journal_date DATE NOT NULL,
    description TEXT NOT NULL,
    reverses INTEGER REFERENCES ledger_journals (id),
    posted_at TEXT NOT NULL,
    posted_by INTEGER REFERENCES users (id),
    UNIQUE (organisation_id, idempotency_key)
);
CREATE UNIQUE INDEX ledger_journals_reverses ON ledger_journals (reverses);
CREATE INDEX ledger_journals_date ON ledger_journals (organisation_id, journal_date);

CREATE TABLE ledger_postings (
    journal_id INTEGER NOT NULL REFERENCES ledger_journals (id),
    line BIGINT NOT NULL,
    account_id INTEGER NOT NULL REFERENCES ledger_accounts (id),
    debit BIGINT NOT NULL,
    credit BIGINT NOT NULL,
    source_kind TEXT NOT NULL,
    source_reference TEXT NOT NULL,
    PRIMARY KEY (journal_id, line)
);
CREATE INDEX ledger_postings_account ON ledger_postings (account_id);
CREATE INDEX ledger_postings_source ON ledger_postings (source_kind, source_reference);

CREATE TABLE ledger_balances (
    account_id INTEGER NOT NULL REFERENCES ledger_accounts (id),
    month TEXT NOT NULL,
    debit BIGINT NOT NULL,
    credit BIGINT NOT NULL,
    PRIMARY KEY (account_id, month)
);
