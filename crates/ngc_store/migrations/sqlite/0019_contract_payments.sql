-- Contract payments: each contract's payment terms (block, cost per case, payment by
-- results), the provider's claims (period returns) checked against them, and the payments the
-- council made against invoices, with the dates the prompt-payment term runs from.

-- The payment terms of a contract as the domain's JSON (`PaymentTerms`). Setting new terms
-- supersedes the current version, which is kept: at most one version is current.
CREATE TABLE contract_payment_terms (
    id INTEGER PRIMARY KEY,
    contract_id INTEGER NOT NULL REFERENCES contracts (id),
    terms TEXT NOT NULL,
    set_by INTEGER REFERENCES users (id),
    set_at TEXT NOT NULL,
    superseded_at TEXT
);
CREATE INDEX contract_payment_terms_contract ON contract_payment_terms (contract_id);
CREATE UNIQUE INDEX contract_payment_terms_current ON contract_payment_terms (contract_id)
    WHERE superseded_at IS NULL;

-- A provider's claim for one period: units delivered (cost per case) and outcomes achieved by
-- metric code (payment by results, a JSON object of counts), accepted under the terms
-- version `terms_id`. One claim per period.
CREATE TABLE contract_claims (
    id INTEGER PRIMARY KEY,
    contract_id INTEGER NOT NULL REFERENCES contracts (id),
    terms_id INTEGER NOT NULL REFERENCES contract_payment_terms (id),
    period_start DATE NOT NULL,
    period_end DATE NOT NULL,
    units BIGINT,
    outcomes TEXT NOT NULL,
    submitted_by INTEGER REFERENCES users (id),
    submitted_at TEXT NOT NULL,
    UNIQUE (contract_id, period_start, period_end)
);

-- A payment of an invoice, one row each (the ledger posts them by id). Pence. `component` is
-- block, cost_per_case or payment_by_results; the period, where the payment is for one.
-- The prompt-payment term runs from `valid_invoice_received` (or, under PA2023, the later
-- `invoice_due_on`); `paid_on` is NULL while unpaid.
CREATE TABLE contract_payments (
    id INTEGER PRIMARY KEY,
    contract_id INTEGER NOT NULL REFERENCES contracts (id),
    amount BIGINT NOT NULL,
    period_start DATE,
    period_end DATE,
    component TEXT NOT NULL,
    invoice_reference TEXT NOT NULL,
    invoice_date DATE NOT NULL,
    valid_invoice_received DATE NOT NULL,
    invoice_due_on DATE,
    paid_on DATE,
    disputed BOOLEAN NOT NULL DEFAULT FALSE,
    recorded_by INTEGER REFERENCES users (id),
    recorded_at TEXT NOT NULL
);
CREATE INDEX contract_payments_contract ON contract_payments (contract_id);
