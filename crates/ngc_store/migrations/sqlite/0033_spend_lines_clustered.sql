-- spend_lines stored in the order of its key (issue 12). A WITHOUT ROWID table is kept as the
-- B-tree of its primary key (import, position), so reading an import's lines in file order
-- (the Transparency Code export, the lines behind a journal) walks the table in order rather
-- than looking each line up from the key's index, and storing a line writes one B-tree, not
-- two. Every line is copied across unchanged. PostgreSQL has no such table; its 0033 changes
-- nothing.
CREATE TABLE spend_lines_by_key (
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
    account TEXT,
    PRIMARY KEY (import_id, position)
) WITHOUT ROWID;

INSERT INTO spend_lines_by_key (import_id, position, member, line, paid_on, month_only,
    supplier, redacted, amount, gross, vat, irrecoverable_vat, transaction_ref, service,
    expense_type, expense_code, description, supplier_id, invoice_number, merchant_category,
    account)
SELECT import_id, position, member, line, paid_on, month_only, supplier, redacted, amount,
    gross, vat, irrecoverable_vat, transaction_ref, service, expense_type, expense_code,
    description, supplier_id, invoice_number, merchant_category, account
FROM spend_lines;

DROP TABLE spend_lines;

ALTER TABLE spend_lines_by_key RENAME TO spend_lines;
