-- Imported "expenditure over £500" files (ngc import spend).
-- spend_imports: one file an organisation imported: its name, the SHA-256 of its bytes (a file
-- is imported once per organisation), the lines, full-row repeats and redactions it held, its
-- first and last payment dates and its net total in pence. A corrected file swapped in for an
-- earlier one names it in `replaces_id`; the earlier one's `replaced_by_id` points back and its
-- lines are kept, an earlier revision.
CREATE TABLE spend_imports (
    id INTEGER PRIMARY KEY,
    organisation_id INTEGER NOT NULL REFERENCES organisations (id),
    file_name TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    lines BIGINT NOT NULL,
    repeats BIGINT NOT NULL,
    redacted BIGINT NOT NULL,
    first_paid_on DATE,
    last_paid_on DATE,
    net_total BIGINT NOT NULL,
    replaces_id INTEGER REFERENCES spend_imports (id),
    replaced_by_id INTEGER REFERENCES spend_imports (id),
    imported_by INTEGER REFERENCES users (id),
    imported_at TEXT NOT NULL,
    UNIQUE (organisation_id, sha256)
);
-- spend_lines: every line of an imported file, repeats included, by its position in the file
-- (`member` is the CSV within a zip, `line` its line there). Amounts in pence; `month_only`
-- when the council published only the month (paid_on is then its first day).
CREATE TABLE spend_lines (
    import_id INTEGER NOT NULL REFERENCES spend_imports (id),
    position INTEGER NOT NULL,
    member TEXT NOT NULL,
    line BIGINT NOT NULL,
    paid_on DATE NOT NULL,
    month_only BOOLEAN NOT NULL,
    supplier TEXT NOT NULL,
    redacted BOOLEAN NOT NULL,
    amount BIGINT NOT NULL,
    gross BIGINT,
    vat BIGINT,
    irrecoverable_vat BIGINT,
    transaction_ref TEXT NOT NULL,
    service TEXT NOT NULL,
    expense_type TEXT NOT NULL,
    expense_code TEXT NOT NULL,
    description TEXT NOT NULL,
    supplier_id TEXT NOT NULL,
    invoice_number TEXT NOT NULL,
    merchant_category TEXT NOT NULL,
    PRIMARY KEY (import_id, position)
);
